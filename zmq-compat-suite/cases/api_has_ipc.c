/* behaviour: zmq_has("ipc") is true on a Linux build */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    CHECK_EQ_INT (zmq_has ("ipc"), 1);
    return 0;
}
