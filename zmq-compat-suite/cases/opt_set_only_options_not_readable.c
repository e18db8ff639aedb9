/* behaviour: write-only options (SUBSCRIBE, UNSUBSCRIBE, ROUTER_MANDATORY, XPUB_VERBOSE, REQ_RELAXED, ...) fail zmq_getsockopt with EINVAL */
#include "testutil.h"

static void *ctx;

static void unreadable (int type, int opt)
{
    void *s = zmq_socket (ctx, type);
    CHECK (s);
    char buf[256];
    size_t l = sizeof (int);
    if (zmq_getsockopt (s, opt, buf, &l) != -1 || zmq_errno () != EINVAL)
        FAIL ("getsockopt(%d) on type %d did not fail with EINVAL", opt,
              type);
    l = sizeof buf;
    if (zmq_getsockopt (s, opt, buf, &l) != -1 || zmq_errno () != EINVAL)
        FAIL ("getsockopt(%d, %zu-byte buffer) on type %d did not fail "
              "with EINVAL",
              opt, sizeof buf, type);
    CHECK_OK (zmq_close (s));
}

int main (void)
{
    test_deadline (20);
    ctx = zmq_ctx_new ();
    CHECK (ctx);
    unreadable (ZMQ_SUB, ZMQ_SUBSCRIBE);
    unreadable (ZMQ_SUB, ZMQ_UNSUBSCRIBE);
    unreadable (ZMQ_ROUTER, ZMQ_ROUTER_MANDATORY);
    unreadable (ZMQ_ROUTER, ZMQ_ROUTER_HANDOVER);
    unreadable (ZMQ_ROUTER, ZMQ_PROBE_ROUTER);
    unreadable (ZMQ_XPUB, ZMQ_XPUB_VERBOSE);
    unreadable (ZMQ_XPUB, ZMQ_XPUB_NODROP);
    unreadable (ZMQ_REQ, ZMQ_REQ_RELAXED);
    unreadable (ZMQ_REQ, ZMQ_REQ_CORRELATE);
    unreadable (ZMQ_STREAM, ZMQ_STREAM_NOTIFY);
    unreadable (ZMQ_ROUTER, ZMQ_CONNECT_ROUTING_ID);
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
