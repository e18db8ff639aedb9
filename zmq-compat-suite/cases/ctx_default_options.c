/* behaviour: a new context reports IO_THREADS 1, MAX_SOCKETS 1023, MAX_MSGSZ INT_MAX, MSG_T_SIZE 64, BLOCKY 1, IPV6 0, THREAD_SCHED_POLICY -1 */
#include "testutil.h"
#include <limits.h>

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_IO_THREADS), 1);
    CHECK_EQ_INT (ZMQ_IO_THREADS_DFLT, 1);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_MAX_SOCKETS), 1023);
    CHECK_EQ_INT (ZMQ_MAX_SOCKETS_DFLT, 1023);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_MAX_MSGSZ), INT_MAX);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_MSG_T_SIZE), 64);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_MSG_T_SIZE), sizeof (zmq_msg_t));
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_BLOCKY), 1);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_IPV6), 0);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_THREAD_SCHED_POLICY), -1);
    CHECK_EQ_INT (ZMQ_THREAD_SCHED_POLICY_DFLT, -1);
    /* The defaults hold after the context has started (first socket). */
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (s);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_IO_THREADS), 1);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_MAX_SOCKETS), 1023);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
