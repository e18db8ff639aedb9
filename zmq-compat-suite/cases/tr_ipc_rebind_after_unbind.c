/* behaviour: after zmq_unbind of an ipc path, another socket can bind the same path and new peers reach it. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    char ep[256];
    ipc_endpoint (ep, sizeof ep, "rebind");
    unlink (ep + 6);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *first = zmq_socket (ctx, ZMQ_PULL);
    void *second = zmq_socket (ctx, ZMQ_PULL);
    CHECK (first && second);
    CHECK_OK (zmq_bind (first, ep));
    CHECK_OK (zmq_unbind (first, ep));
    CHECK_ERR (zmq_unbind (first, ep), ENOENT);
    CHECK_OK (zmq_bind (second, ep));
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "to-second", 0);
    if (!poll_in_ms (second, 5000))
        FAIL ("new binder got nothing");
    recv_str_eq (second, "to-second", 0);
    expect_silence (first, 100);
    zmq_close (push);
    zmq_close (first);
    zmq_close (second);
    zmq_ctx_term (ctx);
    unlink (ep + 6);
    return 0;
}
