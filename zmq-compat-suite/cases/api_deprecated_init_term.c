/* behaviour: deprecated zmq_init(n) makes a context with n io threads (EINVAL if negative), zmq_term and zmq_ctx_destroy end it */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_init (2);
    CHECK (ctx);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_IO_THREADS), 2);
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (a && b);
    CHECK_OK (zmq_bind (a, "inproc://api-init"));
    CHECK_OK (zmq_connect (b, "inproc://api-init"));
    send_str (b, "hi", 0);
    recv_str_eq (a, "hi", 0);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_term (ctx));

    errno = 0;
    CHECK (zmq_init (-1) == NULL);
    CHECK_EQ_INT (zmq_errno (), EINVAL);

    ctx = zmq_init (0);
    CHECK (ctx);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_IO_THREADS), 0);
    CHECK_OK (zmq_ctx_destroy (ctx));
    return 0;
}
