/* The libzmq side of the cases against JeroMQ 0.3.6 that interop/peer.c
 * has no scenario for: refused security, ZMQ_MAXMSGSIZE, resubscription.
 *
 *   guard SCENARIO TYPE bind|connect ENDPOINT SYNCFILE
 *
 * JeroMQ 0.3.6 speaks ZMTP 2.0 (RFC 15: no security mechanisms). libzmq
 * 4.3 talks ZMTP 2.0 to such a peer only when the socket needs no security:
 * a socket with PLAIN (or CURVE), or with a ZAP domain, drops the connection
 * right after the greeting, before any ZAP request. Scenarios:
 *
 *   plain-server   router, binds: PLAIN server, a ZAP handler that would
 *                  allow anyone; JeroMQ's dealer connects and sends
 *   plain-client   dealer, connects: PLAIN client (user/password) to
 *                  JeroMQ's router, sends one message (queued, never sent)
 *   zap-domain     router, binds: NULL mechanism with ZMQ_ZAP_DOMAIN set
 *                  and the same ZAP handler; JeroMQ's dealer connects
 *   maxmsgsize-N   pull, binds: NULL, ZMQ_MAXMSGSIZE N-1; JeroMQ's push
 *                  sends one N-byte message (JPeer's oversize-N), which must
 *                  not be delivered: the connection is dropped instead
 *   resub          sub, connects: subscriptions re-sent to a restarted
 *                  publisher (see sc_resub; JPeer's resub-1 and resub-2)
 *
 * All but resub wait, on the socket monitor, for connections refused (DISCONNECTED
 * events: 3 when JeroMQ connects, as it reconnects every 100 ms; 1 when we
 * connect, as libzmq does not reconnect after a protocol error), failing on
 * HANDSHAKE_SUCCEEDED or on a message arriving; then checks that the ZAP
 * handler saw no request, creates SYNCFILE (the JeroMQ side, which checks
 * that nothing arrived either, then stops) and meets it at the barrier.
 * Timeout: PEER_TIMEOUT seconds (default 8), exit 3 naming the phase.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

static const char *g_sc = "?", *g_type = "?", *g_mode = "?";
static int g_major, g_minor, g_patch;
static char g_phase[200] = "starting";
static volatile int g_zap_requests;

static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "guard %s %s %s (libzmq %d.%d.%d): ", g_sc, g_type, g_mode,
            g_major, g_minor, g_patch);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (while %s)\n", g_phase);
    exit(1);
}

static void on_alarm(int sig)
{
    (void)sig;
    char buf[400];
    int n = snprintf(buf, sizeof buf, "guard %s %s %s (libzmq %d.%d.%d): TIMEOUT while %s\n",
                     g_sc, g_type, g_mode, g_major, g_minor, g_patch, g_phase);
    if (n > 0 && write(2, buf, (size_t)n) < 0) {
    }
    _exit(3);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void touch(const char *path)
{
    int fd = open(path, O_CREAT | O_WRONLY, 0600);
    if (fd < 0)
        die("cannot create %s", path);
    close(fd);
}

static void set_int(void *s, int opt, int v, const char *name)
{
    if (zmq_setsockopt(s, opt, &v, sizeof v) != 0)
        die("zmq_setsockopt(%s) failed: %s", name, zmq_strerror(zmq_errno()));
}

static void set_str(void *s, int opt, const char *v, const char *name)
{
    if (zmq_setsockopt(s, opt, v, strlen(v)) != 0)
        die("zmq_setsockopt(%s) failed: %s", name, zmq_strerror(zmq_errno()));
}

/* ZAP handler (RFC 27) that allows everyone and counts the requests. */
static void *zap_handler(void *ctx)
{
    void *zap = zmq_socket(ctx, ZMQ_REP);
    if (!zap || zmq_bind(zap, "inproc://zeromq.zap.01") != 0)
        die("cannot bind the ZAP handler: %s", zmq_strerror(zmq_errno()));
    int zero = 0;
    zmq_setsockopt(zap, ZMQ_LINGER, &zero, sizeof zero);
    for (;;) {
        char f[8][256];
        int len[8], n = 0, more = 1;
        while (more) {
            int rc = zmq_recv(zap, f[n < 8 ? n : 7], 255, 0);
            if (rc < 0) {
                zmq_close(zap);
                return NULL;
            }
            if (n < 8)
                len[n++] = rc > 255 ? 255 : rc;
            size_t sz = sizeof more;
            zmq_getsockopt(zap, ZMQ_RCVMORE, &more, &sz);
        }
        g_zap_requests++;
        zmq_send(zap, "1.0", 3, ZMQ_SNDMORE);
        zmq_send(zap, f[1], (size_t)len[1], ZMQ_SNDMORE);
        zmq_send(zap, "200", 3, ZMQ_SNDMORE);
        zmq_send(zap, "OK", 2, ZMQ_SNDMORE);
        zmq_send(zap, "anyone", 6, ZMQ_SNDMORE);
        zmq_send(zap, "", 0, 0);
    }
}

/* resub, sub side: subscribed to "A" and "C" (before connecting), hears
 * "Ahello-1" from the first publisher (creates SYNCFILE.1), then, after the
 * runner restarted the publisher on the same port, "Chello-2" (creates
 * SYNCFILE.2), then "AEND-2". The new publisher filters at the source and
 * sends only once a subscription arrived, so this passes only if we re-sent
 * both subscriptions (as ZMTP 2.0 \x01 messages) on reconnecting. */
static int recv_str(void *s, char *buf, size_t bufsz)
{
    int rc = zmq_recv(s, buf, bufsz - 1, 0);
    if (rc < 0)
        die("zmq_recv failed: %s", zmq_strerror(zmq_errno()));
    if ((size_t)rc >= bufsz)
        die("message of %d bytes", rc);
    buf[rc] = 0;
    int more = 0;
    size_t sz = sizeof more;
    zmq_getsockopt(s, ZMQ_RCVMORE, &more, &sz);
    if (more)
        die("unexpected multipart message \"%s\"", buf);
    return rc;
}

static void sc_resub(void *s, const char *endpoint, const char *sync)
{
    char buf[64], path[600];
    set_str(s, ZMQ_SUBSCRIBE, "A", "ZMQ_SUBSCRIBE");
    set_str(s, ZMQ_SUBSCRIBE, "C", "ZMQ_SUBSCRIBE");
    set_int(s, ZMQ_RECONNECT_IVL, 100, "ZMQ_RECONNECT_IVL");
    if (zmq_connect(s, endpoint) != 0)
        die("zmq_connect failed: %s", zmq_strerror(zmq_errno()));
    snprintf(g_phase, sizeof g_phase, "waiting for Ahello-1");
    recv_str(s, buf, sizeof buf);
    if (strcmp(buf, "Ahello-1") != 0)
        die("first message is \"%s\", expected Ahello-1", buf);
    snprintf(path, sizeof path, "%s.1", sync);
    touch(path);
    snprintf(g_phase, sizeof g_phase,
             "waiting for Chello-2 from the restarted publisher (subscriptions re-sent?)");
    int old = 1;
    for (;;) {
        recv_str(s, buf, sizeof buf);
        if (!strcmp(buf, "Chello-2"))
            break;
        if (strcmp(buf, "Ahello-1") != 0)
            die("got \"%s\", expected Ahello-1 or Chello-2", buf);
        old++;
    }
    fprintf(stderr, "%d Ahello-1, then the restarted publisher heard our subscriptions\n", old);
    snprintf(path, sizeof path, "%s.2", sync);
    touch(path);
    snprintf(g_phase, sizeof g_phase, "waiting for AEND-2");
    for (;;) {
        recv_str(s, buf, sizeof buf);
        if (!strcmp(buf, "AEND-2"))
            break;
        if (strcmp(buf, "Chello-2") != 0)
            die("got \"%s\", expected Chello-2 or AEND-2", buf);
    }
}

static const char *event_name(unsigned ev)
{
    switch (ev) {
    case ZMQ_EVENT_CONNECTED: return "CONNECTED";
    case ZMQ_EVENT_CONNECT_DELAYED: return "CONNECT_DELAYED";
    case ZMQ_EVENT_CONNECT_RETRIED: return "CONNECT_RETRIED";
    case ZMQ_EVENT_LISTENING: return "LISTENING";
    case ZMQ_EVENT_ACCEPTED: return "ACCEPTED";
    case ZMQ_EVENT_CLOSED: return "CLOSED";
    case ZMQ_EVENT_DISCONNECTED: return "DISCONNECTED";
    case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL: return "HANDSHAKE_FAILED_NO_DETAIL";
    case ZMQ_EVENT_HANDSHAKE_SUCCEEDED: return "HANDSHAKE_SUCCEEDED";
    case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL: return "HANDSHAKE_FAILED_PROTOCOL";
    case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: return "HANDSHAKE_FAILED_AUTH";
    default: return "other";
    }
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: guard SCENARIO TYPE bind|connect ENDPOINT SYNCFILE\n");
        return 2;
    }
    g_sc = argv[1];
    g_type = argv[2];
    g_mode = argv[3];
    const char *endpoint = argv[4], *sync = argv[5];
    int binder = !strcmp(g_mode, "bind");
    zmq_version(&g_major, &g_minor, &g_patch);
    Dl_info info;
    const char *lib = "?";
    if (dladdr((void *)zmq_version, &info) && info.dli_fname)
        lib = info.dli_fname;
    fprintf(stderr, "guard %s %s %s %s: libzmq %d.%d.%d from %s\n", g_sc, g_type, g_mode,
            endpoint, g_major, g_minor, g_patch, lib);
    const char *t = getenv("PEER_TIMEOUT");
    signal(SIGALRM, on_alarm);
    alarm(t && atoi(t) > 0 ? (unsigned)atoi(t) : 8);

    if (!strcmp(g_sc, "resub") && !strcmp(g_type, "sub") && !binder) {
        void *ctx = zmq_ctx_new();
        void *s = zmq_socket(ctx, ZMQ_SUB);
        sc_resub(s, endpoint, sync);
        char mine[600], theirs[600];
        snprintf(mine, sizeof mine, "%s.done-connect", sync);
        snprintf(theirs, sizeof theirs, "%s.done-bind", sync);
        touch(mine);
        snprintf(g_phase, sizeof g_phase, "waiting for the peer to finish");
        while (access(theirs, F_OK) != 0)
            sleep_ms(5);
        set_int(s, ZMQ_LINGER, 0, "ZMQ_LINGER");
        zmq_close(s);
        zmq_ctx_term(ctx);
        fprintf(stderr, "guard %s %s %s: ok\n", g_sc, g_type, g_mode);
        return 0;
    }

    int server = !strcmp(g_sc, "plain-server") && !strcmp(g_type, "router") && binder;
    int client = !strcmp(g_sc, "plain-client") && !strcmp(g_type, "dealer") && !binder;
    int domain = !strcmp(g_sc, "zap-domain") && !strcmp(g_type, "router") && binder;
    long oversize = 0;
    if (!strncmp(g_sc, "maxmsgsize-", 11) && !strcmp(g_type, "pull") && binder)
        oversize = atol(g_sc + 11);
    if (!server && !client && !domain && oversize <= 1)
        die("no scenario %s for %s %s", g_sc, g_type, g_mode);

    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, client ? ZMQ_DEALER : oversize ? ZMQ_PULL : ZMQ_ROUTER);
    if (!s)
        die("zmq_socket failed: %s", zmq_strerror(zmq_errno()));
    if (server || domain) {
        pthread_t th;
        if (pthread_create(&th, NULL, zap_handler, ctx) != 0)
            die("pthread_create failed");
        pthread_detach(th);
        sleep_ms(50); /* the handler binds before any peer arrives */
    }
    if (server)
        set_int(s, ZMQ_PLAIN_SERVER, 1, "ZMQ_PLAIN_SERVER");
    if (client) {
        set_str(s, ZMQ_PLAIN_USERNAME, "admin", "ZMQ_PLAIN_USERNAME");
        set_str(s, ZMQ_PLAIN_PASSWORD, "secret", "ZMQ_PLAIN_PASSWORD");
    }
    if (domain)
        set_str(s, ZMQ_ZAP_DOMAIN, "global", "ZMQ_ZAP_DOMAIN");
    int mech = -1;
    size_t sz = sizeof mech;
    zmq_getsockopt(s, ZMQ_MECHANISM, &mech, &sz);
    if (mech != (domain || oversize ? ZMQ_NULL : ZMQ_PLAIN))
        die("ZMQ_MECHANISM is %d", mech);
    set_int(s, ZMQ_RECONNECT_IVL, 100, "ZMQ_RECONNECT_IVL");
    if (oversize) {
        int64_t max = oversize - 1;
        if (zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &max, sizeof max) != 0)
            die("zmq_setsockopt(ZMQ_MAXMSGSIZE) failed: %s", zmq_strerror(zmq_errno()));
    }

    if (zmq_socket_monitor(s, "inproc://guard-mon", ZMQ_EVENT_ALL) != 0)
        die("zmq_socket_monitor failed: %s", zmq_strerror(zmq_errno()));
    void *mon = zmq_socket(ctx, ZMQ_PAIR);
    if (!mon || zmq_connect(mon, "inproc://guard-mon") != 0)
        die("cannot connect the monitor");

    if (binder) {
        snprintf(g_phase, sizeof g_phase, "binding %s", endpoint);
        if (zmq_bind(s, endpoint) != 0)
            die("zmq_bind failed: %s", zmq_strerror(zmq_errno()));
        char last[256];
        size_t len = sizeof last;
        zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, last, &len);
        printf("%s\n", last);
        fflush(stdout);
    } else {
        if (zmq_connect(s, endpoint) != 0)
            die("zmq_connect failed: %s", zmq_strerror(zmq_errno()));
        if (zmq_send(s, "must-not-arrive", 15, ZMQ_DONTWAIT) != 15)
            die("queuing a message failed: %s", zmq_strerror(zmq_errno()));
    }

    /* JeroMQ reconnects after we close; libzmq does not reconnect after a
     * protocol error (session_base_t::engine_error), so a client sees one. */
    int want = client || oversize ? 1 : 3, disconnected = 0;
    char seen[1000] = "";
    while (disconnected < want) {
        snprintf(g_phase, sizeof g_phase, "waiting for refusal %d of %d; events so far:%.140s",
                 disconnected + 1, want, seen);
        zmq_pollitem_t items[2] = {{mon, 0, ZMQ_POLLIN, 0}, {s, 0, ZMQ_POLLIN, 0}};
        if (zmq_poll(items, 2, -1) < 0)
            die("zmq_poll failed: %s", zmq_strerror(zmq_errno()));
        if (items[1].revents & ZMQ_POLLIN)
            die("a message arrived on a connection that must be dropped; events so far:%s", seen);
        if (!(items[0].revents & ZMQ_POLLIN))
            continue;
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, mon, 0) < 0)
            die("monitor recv failed: %s", zmq_strerror(zmq_errno()));
        uint16_t ev = 0;
        if (zmq_msg_size(&m) >= 2)
            memcpy(&ev, zmq_msg_data(&m), 2);
        zmq_msg_close(&m);
        zmq_msg_init(&m);
        zmq_msg_recv(&m, mon, 0); /* the endpoint frame */
        zmq_msg_close(&m);
        if (strlen(seen) < sizeof seen - 40)
            snprintf(seen + strlen(seen), sizeof seen - strlen(seen), " %s", event_name(ev));
        if (ev == ZMQ_EVENT_HANDSHAKE_SUCCEEDED && !oversize)
            die("the handshake with a ZMTP 2.0 peer succeeded although the socket %s",
                domain ? "has a ZAP domain" : "uses PLAIN");
        if (ev == ZMQ_EVENT_DISCONNECTED)
            disconnected++;
    }
    fprintf(stderr, "events:%s\n", seen);
    char buf[64];
    if (zmq_recv(s, buf, sizeof buf, ZMQ_DONTWAIT) >= 0)
        die("a message got through a refused connection");
    if (g_zap_requests != 0)
        die("the ZAP handler got %d request(s): a ZMTP 2.0 peer must be refused before ZAP",
            g_zap_requests);
    fprintf(stderr, "%d connection(s) refused, no message, no ZAP request\n", want);
    touch(sync);

    char mine[600], theirs[600];
    snprintf(mine, sizeof mine, "%s.done-%s", sync, binder ? "bind" : "connect");
    snprintf(theirs, sizeof theirs, "%s.done-%s", sync, binder ? "connect" : "bind");
    touch(mine);
    snprintf(g_phase, sizeof g_phase, "waiting for the peer to finish");
    while (access(theirs, F_OK) != 0)
        sleep_ms(5);
    if (zmq_recv(s, buf, sizeof buf, ZMQ_DONTWAIT) >= 0)
        die("a message got through a refused connection");
    snprintf(g_phase, sizeof g_phase, "closing");
    set_int(s, ZMQ_LINGER, 0, "ZMQ_LINGER");
    zmq_socket_monitor(s, NULL, 0);
    zmq_close(mon);
    zmq_close(s);
    zmq_ctx_term(ctx);
    fprintf(stderr, "guard %s %s %s: ok\n", g_sc, g_type, g_mode);
    return 0;
}
