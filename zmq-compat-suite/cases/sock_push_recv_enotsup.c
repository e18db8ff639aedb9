/* behaviour: a PUSH socket cannot receive: zmq_recv fails with ENOTSUP. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (s);
    char ep[256];
    bind_tcp_ephemeral (s, ep, sizeof ep);
    char buf[16];
    (void) buf;
    CHECK_ERR (zmq_recv (s, buf, sizeof buf, ZMQ_DONTWAIT), ENOTSUP);
    /* Blocking form fails at once too, not after waiting. */
    CHECK_ERR (zmq_recv (s, buf, sizeof buf, 0), ENOTSUP);
    zmq_msg_t m;
    zmq_msg_init_size (&m, 1);
    CHECK_ERR (zmq_msg_recv (&m, s, ZMQ_DONTWAIT), ENOTSUP);
    zmq_msg_close (&m);
    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
