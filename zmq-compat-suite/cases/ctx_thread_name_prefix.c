/* behaviour: ZMQ_THREAD_NAME_PREFIX set as an int reads back as the same int (default 0) */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_THREAD_NAME_PREFIX), 0);
    CHECK_OK (zmq_ctx_set (ctx, ZMQ_THREAD_NAME_PREFIX, 42));
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_THREAD_NAME_PREFIX), 42);
    /* Threads start fine with the prefix. */
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (s);
    char ep[256];
    bind_tcp_ephemeral (s, ep, sizeof ep);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
