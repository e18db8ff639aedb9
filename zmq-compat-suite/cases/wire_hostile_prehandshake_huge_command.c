/* behaviour: a peer that, before the handshake completes (NULL, PLAIN or CURVE server), announces a command of 2^62 bytes and then streams data is disconnected at once rather than buffered, with no handshake-failed event (only DISCONNECTED), and the socket keeps serving other peers. */
#include "wireutil.h"

/* Greeting for `mechanism`, the huge command header, then up to 32 MiB of
 * body streamed: the connection must be gone long before that. */
static void attack (const char *ep, const char *mechanism, void *mon)
{
    int fd = wu_connect_endpoint (ep);
    unsigned char g[WU_GREETING_SIZE];
    wu_greeting (g, 3, 1, mechanism, 0);
    wu_send_all (fd, g, sizeof g);
    char what[64];
    snprintf (what, sizeof what, "%s server's greeting", mechanism);
    wu_expect_bytes (fd, g, sizeof g, 3000, what);
    unsigned char h[9] = {WU_COMMAND | WU_LONG};
    wu_put_u64 (h + 1, (uint64_t) 1 << 62);
    wu_try_send_all (fd, h, sizeof h);
    static unsigned char chunk[64 * 1024];
    memset (chunk, 'z', sizeof chunk);
    size_t sent = 0;
    while (sent < (32u << 20) && wu_try_send_all (fd, chunk, sizeof chunk) == 0)
        sent += sizeof chunk;
    if (!wu_wait_closed (fd, 5000))
        FAIL ("%s: still connected after %zu bytes of a 2^62-byte command",
              mechanism, sent);
    wu_expect_silent_disconnect (mon, mechanism);
    close (fd);
}

/* Each server in a context of its own, ended before the next one starts:
 * the reference libzmq, under load, sometimes never accepted the next
 * server's connection when it shared the context (and I/O thread) with the
 * servers attacked before it (no ACCEPTED event in 5 s). */
int main (void)
{
    test_deadline (25);

    /* NULL: a ROUTER, which must then still serve a DEALER. */
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (router);
    void *mon = wu_monitor (ctx, router, "null", ZMQ_EVENT_ALL);
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);
    attack (ep, "NULL", mon);
    wu_router_serves (ctx, router, ep);
    zmq_close (mon);
    set_int (router, ZMQ_LINGER, 0);
    zmq_close (router);
    zmq_ctx_term (ctx);

    /* PLAIN server (no ZAP handler needed: HELLO never arrives). */
    ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *rep = zmq_socket (ctx, ZMQ_REP);
    CHECK (rep);
    set_int (rep, ZMQ_PLAIN_SERVER, 1);
    mon = wu_monitor (ctx, rep, "plain", ZMQ_EVENT_ALL);
    bind_tcp_ephemeral (rep, ep, sizeof ep);
    attack (ep, "PLAIN", mon);
    zmq_close (mon);
    zmq_close (rep);
    zmq_ctx_term (ctx);

    /* CURVE server, where available. */
    if (zmq_has ("curve")) {
        ctx = zmq_ctx_new ();
        CHECK (ctx);
        char pub[41], sec[41];
        CHECK_OK (zmq_curve_keypair (pub, sec));
        rep = zmq_socket (ctx, ZMQ_REP);
        CHECK (rep);
        set_int (rep, ZMQ_CURVE_SERVER, 1);
        CHECK_OK (zmq_setsockopt (rep, ZMQ_CURVE_SECRETKEY, sec, 40));
        mon = wu_monitor (ctx, rep, "curve", ZMQ_EVENT_ALL);
        bind_tcp_ephemeral (rep, ep, sizeof ep);
        attack (ep, "CURVE", mon);
        zmq_close (mon);
        zmq_close (rep);
        zmq_ctx_term (ctx);
    }
    return 0;
}
