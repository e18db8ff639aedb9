/* behaviour: ZMQ_HEARTBEAT_TTL is stored in deciseconds: values round down to 100 ms steps, and above 6553599 ms are EINVAL */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && s);
    set_int (s, ZMQ_HEARTBEAT_TTL, 1234);
    CHECK_EQ_INT (get_int (s, ZMQ_HEARTBEAT_TTL), 1200);
    set_int (s, ZMQ_HEARTBEAT_TTL, 99);
    CHECK_EQ_INT (get_int (s, ZMQ_HEARTBEAT_TTL), 0);
    set_int (s, ZMQ_HEARTBEAT_TTL, 6553599);
    CHECK_EQ_INT (get_int (s, ZMQ_HEARTBEAT_TTL), 6553500);
    int v = 6553600;
    CHECK_ERR (zmq_setsockopt (s, ZMQ_HEARTBEAT_TTL, &v, sizeof v), EINVAL);
    v = -100;
    CHECK_ERR (zmq_setsockopt (s, ZMQ_HEARTBEAT_TTL, &v, sizeof v), EINVAL);
    CHECK_EQ_INT (get_int (s, ZMQ_HEARTBEAT_TTL), 6553500);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
