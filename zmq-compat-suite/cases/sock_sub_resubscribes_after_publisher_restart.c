/* behaviour: a connecting SUB or XSUB whose publisher is closed and bound again on the same tcp or ipc endpoint sends the new one each of its current subscriptions exactly once (changes made meanwhile included, none duplicated) and receives again. */
#include "testutil.h"

#define TOPICS 4 /* A, B, C, Z */

static void *bind_xpub (void *ctx, const char *ep)
{
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    CHECK (xpub);
    /* Every subscription message reaches the application, duplicates too. */
    set_int (xpub, ZMQ_XPUB_VERBOSE, 1);
    /* The old listener (tcp port, ipc file) is released asynchronously. */
    long long deadline = now_ms () + 5000;
    while (zmq_bind (xpub, ep) != 0) {
        CHECK_EQ_INT (zmq_errno (), EADDRINUSE);
        if (now_ms () > deadline)
            FAIL ("could not bind %s again", ep);
        msleep (20);
    }
    return xpub;
}

static void subscribe (void *sub, int xsub, int on, const char *topic)
{
    if (xsub) {
        char m[16];
        m[0] = (char) on;
        size_t n = strlen (topic);
        memcpy (m + 1, topic, n);
        send_bytes (sub, m, n + 1, 0);
    } else {
        CHECK_OK (zmq_setsockopt (sub, on ? ZMQ_SUBSCRIBE : ZMQ_UNSUBSCRIBE,
                                  topic, strlen (topic)));
    }
}

/* Reads one subscription message on the XPUB, if any, into counts. */
static int take_subscription (void *xpub, int counts[TOPICS], int wait_ms)
{
    char buf[64];
    int n = recv_str_within (xpub, buf, sizeof buf, wait_ms);
    if (n < 0)
        return -1;
    if (n != 2 || (buf[0] != 0 && buf[0] != 1))
        FAIL ("XPUB got '%.*s' (%d bytes), not a one-letter subscription", n,
              buf, n);
    const char *names = "ABCZ";
    const char *p = strchr (names, buf[1]);
    if (!p || !buf[1])
        FAIL ("XPUB got a subscription to an unknown topic '%c'", buf[1]);
    counts[p - names] += buf[0] ? 1 : -1;
    if (counts[p - names] < 0)
        FAIL ("XPUB got a cancel of '%c' it had no subscription for", buf[1]);
    return buf[1];
}

/* The publisher sends "A<tag>" until the subscriber gets one. */
static void expect_flow (void *xpub, void *sub, int counts[TOPICS],
                         const char *tag)
{
    char want[16], buf[64];
    snprintf (want, sizeof want, "A%s", tag);
    long long deadline = now_ms () + 5000;
    for (;;) {
        if (now_ms () > deadline)
            FAIL ("the subscriber got nothing from the publisher (%s)", tag);
        while (take_subscription (xpub, counts, 0) >= 0) {
        }
        send_str (xpub, want, ZMQ_DONTWAIT);
        int n = recv_str_within (sub, buf, sizeof buf, 50);
        if (n >= 0) {
            if (strcmp (buf, want) != 0)
                FAIL ("subscriber got '%s', want '%s'", buf, want);
            return;
        }
    }
}

static void run (const char *transport, int xsub)
{
    char ep[256];
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *xpub;
    if (strcmp (transport, "tcp") == 0) {
        xpub = zmq_socket (ctx, ZMQ_XPUB);
        CHECK (xpub);
        set_int (xpub, ZMQ_XPUB_VERBOSE, 1);
        bind_tcp_ephemeral (xpub, ep, sizeof ep);
    } else {
        ipc_endpoint (ep, sizeof ep, xsub ? "resub-x" : "resub");
        xpub = bind_xpub (ctx, ep);
    }
    void *sub = zmq_socket (ctx, xsub ? ZMQ_XSUB : ZMQ_SUB);
    CHECK (sub);
    set_int (sub, ZMQ_RECONNECT_IVL, 50);
    CHECK_OK (zmq_connect (sub, ep));
    subscribe (sub, xsub, 1, "A");
    subscribe (sub, xsub, 1, "B");
    int counts[TOPICS] = {0};
    expect_flow (xpub, sub, counts, "1");

    /* The publisher goes away; the subscriptions change meanwhile. */
    CHECK_OK (zmq_close (xpub));
    subscribe (sub, xsub, 1, "C");
    subscribe (sub, xsub, 0, "B");
    xpub = bind_xpub (ctx, ep);
    memset (counts, 0, sizeof counts);
    expect_flow (xpub, sub, counts, "2");

    /* One more subscription, after everything else: when it arrives, all
       the new publisher will hear about has arrived. */
    subscribe (sub, xsub, 1, "Z");
    long long deadline = now_ms () + 5000;
    while (counts[3] == 0) {
        if (now_ms () > deadline)
            FAIL ("the new publisher never got the last subscription");
        take_subscription (xpub, counts, 100);
    }
    if (counts[0] != 1 || counts[1] != 0 || counts[2] != 1 || counts[3] != 1)
        FAIL ("%s %s: the new publisher holds A=%d B=%d C=%d Z=%d, want "
              "A=1 B=0 C=1 Z=1",
              transport, xsub ? "XSUB" : "SUB", counts[0], counts[1],
              counts[2], counts[3]);
    CHECK_OK (zmq_close (sub));
    CHECK_OK (zmq_close (xpub));
    CHECK_OK (zmq_ctx_term (ctx));
}

int main (void)
{
    test_deadline (25);
    run ("tcp", 0);
    run ("tcp", 1);
    run ("ipc", 0);
    run ("ipc", 1);
    return 0;
}
