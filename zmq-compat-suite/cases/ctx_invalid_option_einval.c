/* behaviour: zmq_ctx_set and zmq_ctx_get of an unknown option fail with EINVAL; write-only/read-only options are refused the other way */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    CHECK_ERR (zmq_ctx_set (ctx, 9999, 1), EINVAL);
    CHECK_ERR (zmq_ctx_get (ctx, 9999), EINVAL);
    CHECK_ERR (zmq_ctx_set (ctx, -1, 1), EINVAL);
    CHECK_ERR (zmq_ctx_get (ctx, 0), EINVAL);
    /* MSG_T_SIZE is read-only. */
    CHECK_ERR (zmq_ctx_set (ctx, ZMQ_MSG_T_SIZE, 64), EINVAL);
    /* THREAD_AFFINITY_CPU_ADD/REMOVE are write-only. */
    CHECK_ERR (zmq_ctx_get (ctx, ZMQ_THREAD_AFFINITY_CPU_ADD), EINVAL);
    CHECK_ERR (zmq_ctx_get (ctx, ZMQ_THREAD_AFFINITY_CPU_REMOVE), EINVAL);
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
