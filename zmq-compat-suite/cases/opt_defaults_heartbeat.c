/* behaviour: HEARTBEAT_IVL 0 (off), HEARTBEAT_TTL 0 and HEARTBEAT_TIMEOUT -1 by default */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && s);
    CHECK_EQ_INT (get_int (s, ZMQ_HEARTBEAT_IVL), 0);
    CHECK_EQ_INT (get_int (s, ZMQ_HEARTBEAT_TTL), 0);
    CHECK_EQ_INT (get_int (s, ZMQ_HEARTBEAT_TIMEOUT), -1);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
