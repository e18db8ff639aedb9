/* behaviour: socket-type-specific options (SUBSCRIBE, ROUTER_MANDATORY, XPUB_VERBOSE, REQ_CORRELATE, STREAM_NOTIFY, ...) fail with EINVAL on other types */
#include "testutil.h"

static void *ctx;

static void refused (int type, int opt, const void *val, size_t len)
{
    void *s = zmq_socket (ctx, type);
    CHECK (s);
    if (zmq_setsockopt (s, opt, val, len) != -1 || zmq_errno () != EINVAL)
        FAIL ("setsockopt(%d) on socket type %d did not fail with EINVAL",
              opt, type);
    CHECK_OK (zmq_close (s));
}

static void accepted (int type, int opt, const void *val, size_t len)
{
    void *s = zmq_socket (ctx, type);
    CHECK (s);
    if (zmq_setsockopt (s, opt, val, len) != 0)
        FAIL ("setsockopt(%d) on socket type %d failed: %s", opt, type,
              zmq_strerror (zmq_errno ()));
    CHECK_OK (zmq_close (s));
}

int main (void)
{
    test_deadline (20);
    ctx = zmq_ctx_new ();
    CHECK (ctx);
    int one = 1;
    refused (ZMQ_PUB, ZMQ_SUBSCRIBE, "a", 1);
    refused (ZMQ_PUSH, ZMQ_SUBSCRIBE, "a", 1);
    refused (ZMQ_PUB, ZMQ_UNSUBSCRIBE, "a", 1);
    accepted (ZMQ_SUB, ZMQ_SUBSCRIBE, "a", 1);
    refused (ZMQ_XSUB, ZMQ_SUBSCRIBE, "a", 1); /* XSUB subscribes by message */
    refused (ZMQ_DEALER, ZMQ_ROUTER_MANDATORY, &one, sizeof one);
    accepted (ZMQ_ROUTER, ZMQ_ROUTER_MANDATORY, &one, sizeof one);
    refused (ZMQ_DEALER, ZMQ_ROUTER_HANDOVER, &one, sizeof one);
    refused (ZMQ_SUB, ZMQ_XPUB_VERBOSE, &one, sizeof one);
    refused (ZMQ_PULL, ZMQ_XPUB_MANUAL, &one, sizeof one);
    accepted (ZMQ_XPUB, ZMQ_XPUB_VERBOSE, &one, sizeof one);
    refused (ZMQ_REP, ZMQ_REQ_CORRELATE, &one, sizeof one);
    refused (ZMQ_DEALER, ZMQ_REQ_RELAXED, &one, sizeof one);
    accepted (ZMQ_REQ, ZMQ_REQ_CORRELATE, &one, sizeof one);
    accepted (ZMQ_REQ, ZMQ_REQ_RELAXED, &one, sizeof one);
    refused (ZMQ_ROUTER, ZMQ_STREAM_NOTIFY, &one, sizeof one);
    accepted (ZMQ_STREAM, ZMQ_STREAM_NOTIFY, &one, sizeof one);
    refused (ZMQ_PUB, ZMQ_PROBE_ROUTER, &one, sizeof one);
    refused (ZMQ_PULL, ZMQ_PROBE_ROUTER, &one, sizeof one);
    accepted (ZMQ_ROUTER, ZMQ_PROBE_ROUTER, &one, sizeof one);
    accepted (ZMQ_DEALER, ZMQ_PROBE_ROUTER, &one, sizeof one);
    refused (ZMQ_DEALER, ZMQ_CONNECT_ROUTING_ID, "peer", 4);
    accepted (ZMQ_ROUTER, ZMQ_CONNECT_ROUTING_ID, "peer", 4);
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
