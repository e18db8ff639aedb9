/* behaviour: a context with IO_THREADS 0 still carries inproc traffic, but tcp bind/connect fail with EMTHREAD */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    CHECK_OK (zmq_ctx_set (ctx, ZMQ_IO_THREADS, 0));
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (a && b);
    CHECK_OK (zmq_bind (a, "inproc://ctx-no-io"));
    CHECK_OK (zmq_connect (b, "inproc://ctx-no-io"));
    send_str (b, "inproc ok", 0);
    recv_str_eq (a, "inproc ok", 0);
    void *t = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (t);
    CHECK_ERR (zmq_bind (t, "tcp://127.0.0.1:*"), EMTHREAD);
    CHECK_ERR (zmq_connect (t, "tcp://127.0.0.1:5555"), EMTHREAD);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_close (t));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
