/* behaviour: an inproc name can be bound once per context: a second bind, by any socket, fails with EADDRINUSE. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "dup");
    void *a = zmq_socket (ctx, ZMQ_PULL);
    void *b = zmq_socket (ctx, ZMQ_PULL);
    CHECK (a && b);
    CHECK_OK (zmq_bind (a, ep));
    CHECK_ERR (zmq_bind (a, ep), EADDRINUSE);
    CHECK_ERR (zmq_bind (b, ep), EADDRINUSE);
    /* Another context has its own inproc namespace. */
    void *ctx2 = zmq_ctx_new ();
    CHECK (ctx2);
    void *c = zmq_socket (ctx2, ZMQ_PULL);
    CHECK (c);
    CHECK_OK (zmq_bind (c, ep));
    zmq_close (c);
    zmq_ctx_term (ctx2);
    zmq_close (a);
    zmq_close (b);
    zmq_ctx_term (ctx);
    return 0;
}
