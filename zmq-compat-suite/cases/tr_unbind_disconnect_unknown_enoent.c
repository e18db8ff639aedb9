/* behaviour: zmq_unbind or zmq_disconnect of an endpoint the socket never bound or connected fails with ENOENT. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (s);
    char ep[256];
    bind_tcp_ephemeral (s, ep, sizeof ep);
    CHECK_ERR (zmq_unbind (s, "tcp://127.0.0.1:1"), ENOENT);
    CHECK_ERR (zmq_disconnect (s, "tcp://127.0.0.1:1"), ENOENT);
    CHECK_ERR (zmq_unbind (s, "inproc://zcs-never-bound"), ENOENT);
    CHECK_ERR (zmq_disconnect (s, "inproc://zcs-never-connected"), ENOENT);
    CHECK_ERR (zmq_unbind (s, "ipc:///tmp/zcs-never-bound.sock"), ENOENT);
    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
