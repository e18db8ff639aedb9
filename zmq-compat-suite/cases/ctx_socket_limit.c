/* behaviour: ZMQ_SOCKET_LIMIT reports the largest MAX_SOCKETS the context accepts, at least the 1023 default */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    int limit = zmq_ctx_get (ctx, ZMQ_SOCKET_LIMIT);
    CHECK (limit >= 1023);
    CHECK_OK (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, limit));
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_MAX_SOCKETS), limit);
    /* SOCKET_LIMIT is read-only: it is not changed by setting MAX_SOCKETS. */
    CHECK_OK (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, 10));
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_SOCKET_LIMIT), limit);
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
