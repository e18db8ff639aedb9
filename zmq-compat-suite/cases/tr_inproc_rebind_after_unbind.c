/* behaviour: after zmq_unbind an inproc name is free at once: another socket can bind it and new connections go there. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "rebind");
    void *a = zmq_socket (ctx, ZMQ_PULL);
    void *b = zmq_socket (ctx, ZMQ_PULL);
    CHECK (a && b);
    CHECK_OK (zmq_bind (a, ep));
    CHECK_OK (zmq_unbind (a, ep));
    CHECK_OK (zmq_bind (b, ep));
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "to-b", 0);
    recv_str_eq (b, "to-b", 0);
    expect_silence (a, 50);
    zmq_close (push);
    zmq_close (a);
    zmq_close (b);
    zmq_ctx_term (ctx);
    return 0;
}
