/* behaviour: zmq_ctx_set values of IO_THREADS, MAX_SOCKETS, MAX_MSGSZ, IPV6, BLOCKY and THREAD_SCHED_POLICY read back through zmq_ctx_get */
#include "testutil.h"

static void roundtrip (void *ctx, int opt, int value, int expected)
{
    if (zmq_ctx_set (ctx, opt, value) != 0)
        FAIL ("zmq_ctx_set(%d, %d) failed: %s", opt, value,
              zmq_strerror (zmq_errno ()));
    int got = zmq_ctx_get (ctx, opt);
    if (got != expected)
        FAIL ("zmq_ctx_get(%d) = %d after setting %d, expected %d", opt, got,
              value, expected);
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    roundtrip (ctx, ZMQ_IO_THREADS, 3, 3);
    roundtrip (ctx, ZMQ_IO_THREADS, 0, 0);
    roundtrip (ctx, ZMQ_IO_THREADS, 1, 1);
    roundtrip (ctx, ZMQ_MAX_SOCKETS, 10, 10);
    roundtrip (ctx, ZMQ_MAX_SOCKETS, 1, 1);
    roundtrip (ctx, ZMQ_MAX_MSGSZ, 1000, 1000);
    roundtrip (ctx, ZMQ_MAX_MSGSZ, 0, 0);
    roundtrip (ctx, ZMQ_IPV6, 1, 1);
    roundtrip (ctx, ZMQ_IPV6, 0, 0);
    roundtrip (ctx, ZMQ_BLOCKY, 0, 0);
    roundtrip (ctx, ZMQ_BLOCKY, 1, 1);
    roundtrip (ctx, ZMQ_THREAD_SCHED_POLICY, 0, 0);
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
