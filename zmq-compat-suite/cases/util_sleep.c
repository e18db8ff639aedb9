/* behaviour: zmq_sleep(1) sleeps about one second */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    long long t0 = now_ms ();
    zmq_sleep (1);
    long long took = now_ms () - t0;
    if (took < 900 || took > 10000)
        FAIL ("zmq_sleep(1) took %lld ms", took);
    return 0;
}
