/* behaviour: zmq_poll with no items and a positive timeout sleeps for about the timeout and returns 0; with timeout 0 it returns at once */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    long long t0 = now_ms ();
    CHECK_EQ_INT (zmq_poll (NULL, 0, 0), 0);
    CHECK (now_ms () - t0 < 1000);
    t0 = now_ms ();
    CHECK_EQ_INT (zmq_poll (NULL, 0, 250), 0);
    long long took = now_ms () - t0;
    if (took < 200)
        FAIL ("zmq_poll(NULL, 0, 250) returned after %lld ms", took);
    if (took > 10000)
        FAIL ("zmq_poll(NULL, 0, 250) took %lld ms", took);
    return 0;
}
