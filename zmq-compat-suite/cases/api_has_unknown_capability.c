/* behaviour: zmq_has returns 0 for capabilities it does not know */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    CHECK_EQ_INT (zmq_has (""), 0);
    CHECK_EQ_INT (zmq_has ("no-such-capability"), 0);
    CHECK_EQ_INT (zmq_has ("IPC"), 0); /* names are case-sensitive */
    CHECK_EQ_INT (zmq_has ("ipc "), 0);
    return 0;
}
