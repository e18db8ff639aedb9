/* behaviour: STREAM sockets take inproc endpoints (no ENOCOMPATPROTO); over inproc no connect notification arrives (libzmq's come from its tcp engine) */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_STREAM);
    void *b = zmq_socket (ctx, ZMQ_STREAM);
    CHECK (ctx && a && b);
    set_int (a, ZMQ_LINGER, 0);
    set_int (b, ZMQ_LINGER, 0);
    CHECK_OK (zmq_bind (a, "inproc://stream-inproc"));
    CHECK_OK (zmq_connect (b, "inproc://stream-inproc"));
    char buf[64];
    set_int (a, ZMQ_RCVTIMEO, 300);
    set_int (b, ZMQ_RCVTIMEO, 300);
    CHECK_ERR (zmq_recv (a, buf, sizeof buf, 0), EAGAIN);
    CHECK_ERR (zmq_recv (b, buf, sizeof buf, 0), EAGAIN);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
