/* behaviour: a SUB socket cannot send: zmq_send fails with ENOTSUP. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *s = zmq_socket (ctx, ZMQ_SUB);
    CHECK (s);
    char ep[256];
    bind_tcp_ephemeral (s, ep, sizeof ep);
    char buf[16];
    (void) buf;
    CHECK_ERR (zmq_send (s, "x", 1, ZMQ_DONTWAIT), ENOTSUP);
    /* Blocking form fails at once too, not after waiting. */
    CHECK_ERR (zmq_send (s, "x", 1, 0), ENOTSUP);
    zmq_msg_t m;
    zmq_msg_init_size (&m, 1);
    CHECK_ERR (zmq_msg_send (&m, s, ZMQ_DONTWAIT), ENOTSUP);
    zmq_msg_close (&m);
    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
