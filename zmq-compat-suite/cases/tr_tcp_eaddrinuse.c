/* behaviour: binding a tcp address already bound (by this or another socket) fails with EADDRINUSE. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *a = zmq_socket (ctx, ZMQ_PULL);
    void *b = zmq_socket (ctx, ZMQ_PULL);
    CHECK (a && b);
    char ep[256];
    bind_tcp_ephemeral (a, ep, sizeof ep);
    CHECK_ERR (zmq_bind (b, ep), EADDRINUSE);
    CHECK_ERR (zmq_bind (a, ep), EADDRINUSE);
    /* The first binding is unaffected. */
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "still-works", 0);
    recv_str_eq (a, "still-works", 0);
    zmq_close (push);
    zmq_close (a);
    zmq_close (b);
    zmq_ctx_term (ctx);
    return 0;
}
