/* behaviour: zmq_ctx_set rejects out-of-range values (negative IO_THREADS/IPV6/BLOCKY/MAX_MSGSZ, MAX_SOCKETS < 1) with EINVAL and keeps the old value */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    CHECK_ERR (zmq_ctx_set (ctx, ZMQ_IO_THREADS, -1), EINVAL);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_IO_THREADS), 1);
    CHECK_ERR (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, 0), EINVAL);
    CHECK_ERR (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, -5), EINVAL);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_MAX_SOCKETS), 1023);
    CHECK_ERR (zmq_ctx_set (ctx, ZMQ_MAX_MSGSZ, -1), EINVAL);
    CHECK_ERR (zmq_ctx_set (ctx, ZMQ_IPV6, -1), EINVAL);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_IPV6), 0);
    CHECK_ERR (zmq_ctx_set (ctx, ZMQ_BLOCKY, -1), EINVAL);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_BLOCKY), 1);
    CHECK_ERR (zmq_ctx_set (ctx, ZMQ_THREAD_SCHED_POLICY, -2), EINVAL);
    CHECK_ERR (zmq_ctx_set (ctx, ZMQ_THREAD_PRIORITY, -2), EINVAL);
    CHECK_ERR (zmq_ctx_set (ctx, ZMQ_THREAD_AFFINITY_CPU_ADD, -1), EINVAL);
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
