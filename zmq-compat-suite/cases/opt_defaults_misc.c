/* behaviour: RATE 100, RECOVERY_IVL 10000, MULTICAST_HOPS 1, MULTICAST_MAXTPDU 1500, CONFLATE 0, INVERT_MATCHING 0, USE_FD -1, THREAD_SAFE 0 by default */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_SUB);
    CHECK (ctx && s);
    CHECK_EQ_INT (get_int (s, ZMQ_RATE), 100);
    CHECK_EQ_INT (get_int (s, ZMQ_RECOVERY_IVL), 10000);
    CHECK_EQ_INT (get_int (s, ZMQ_MULTICAST_HOPS), 1);
    CHECK_EQ_INT (get_int (s, ZMQ_MULTICAST_MAXTPDU), 1500);
    CHECK_EQ_INT (get_int (s, ZMQ_CONFLATE), 0);
    CHECK_EQ_INT (get_int (s, ZMQ_INVERT_MATCHING), 0);
    CHECK_EQ_INT (get_int (s, ZMQ_USE_FD), -1);
    CHECK_EQ_INT (get_int (s, ZMQ_THREAD_SAFE), 0);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
