/* One side of a two-process interop scenario.
 *
 *   peer SCENARIO TYPE bind|connect ENDPOINT [SYNCFILE]
 *
 * Compiled once against the system zmq.h; which libzmq.so.5 it runs on is
 * chosen only by LD_LIBRARY_PATH. The binding side prints the resolved
 * endpoint (ZMQ_LAST_ENDPOINT) as the first line of stdout so the runner can
 * hand it to the connecting side. Everything else goes to stderr, starting
 * with the libzmq version and the file it was loaded from.
 *
 * Every received frame is checked byte for byte against what the other side
 * generated (see fill()); on any difference, error or timeout the program
 * prints one line "peer ...: what went wrong" and exits non-zero.
 *
 * SYNCFILE is a path in a per-run directory used as an out-of-band signal
 * where ZeroMQ offers none (PUB cannot hear that a subscription arrived; the
 * runner tells the heartbeat-timeout router that the dealer is frozen). At
 * the end of a scenario each side creates SYNCFILE.done-bind or
 * SYNCFILE.done-connect and waits for the other's before closing its socket.
 *
 * Scenarios (TYPE must be one of the listed types):
 *   pair            pair: binder sends the set then receives; connecter the reverse
 *   pushpull        push sends the set, pull receives it
 *   dealer-router   dealer sends the set, router checks the auto routing id
 *                   (5 bytes, first 0x00, the same on every message) and sends
 *                   a second set back to it
 *   dealer-router-id   same, the dealer sets ZMQ_ROUTING_ID, the router checks it
 *   reqrep          round trips: req sends each message, rep answers another
 *   pubsub          pub sends "A"-topic copies of the set interleaved with
 *                   "B"-topic noise; sub subscribes to "A" only. The pub says
 *                   "Ahello" until the sub creates SYNCFILE.
 *   xpubsub         sub subscribes to "A"; xpub must read "\x01A", answers
 *                   "Aready"; sub then subscribes and unsubscribes "B"; xpub
 *                   must read "\x01B" then "\x00B"; then as pubsub
 *   hb-bind, hb-connect   router (binds) and dealer (connects); the binding or
 *                   connecting side sets HEARTBEAT_IVL=100, HEARTBEAT_TIMEOUT=300.
 *                   Round trip, 1.2 s idle, round trip: the router must see the
 *                   same routing id (no reconnect happened).
 *   hb-dead         router (binds, heartbeats on, ROUTER_MANDATORY) and dealer.
 *                   After one round trip the dealer prints "stop-me PID" and the
 *                   runner freezes it with SIGSTOP then creates SYNCFILE; the
 *                   router must find the dealer unroutable (EHOSTUNREACH) within
 *                   3 s, i.e. its heartbeat timeout fired.
 *   echo            rep: answers every request with the same frames until a
 *                   single "quit" frame, answered "bye" (for the Python check)
 *   ticker          pub: "Ahello" until SYNCFILE exists, then 1000 times
 *                   "B<i>" noise and "A<i>" (every 100th as ["A<i>", "", "tail"]),
 *                   then "AEND" (for the Python check)
 *
 * Timeout: PEER_TIMEOUT seconds (default 8), then exit 3 naming the phase.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

static const char *g_scenario = "?", *g_type = "?", *g_mode = "?";
static int g_major, g_minor, g_patch;
static char g_phase[200] = "starting";

static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "peer %s %s %s (libzmq %d.%d.%d): ", g_scenario, g_type,
            g_mode, g_major, g_minor, g_patch);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

#define CHECK(call)                                                            \
    do {                                                                       \
        if ((call) == -1)                                                      \
            die("%s failed: %s (errno %d) while %s", #call,                    \
                zmq_strerror(zmq_errno()), zmq_errno(), g_phase);              \
    } while (0)

static void phase(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g_phase, sizeof g_phase, fmt, ap);
    va_end(ap);
}

static void on_alarm(int sig)
{
    (void)sig;
    char buf[400];
    int n = snprintf(buf, sizeof buf,
                     "peer %s %s %s (libzmq %d.%d.%d): TIMEOUT while %s\n",
                     g_scenario, g_type, g_mode, g_major, g_minor, g_patch,
                     g_phase);
    if (n > 0 && write(2, buf, (size_t)n) < 0) {
    }
    _exit(3);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the message set ------------------------------------------------------ */

/* Special messages: frame count, then frame lengths. */
static const size_t SPECIAL[][6] = {
    {3, 5, 0, 7},              /* multipart, empty frame in the middle */
    {1, 0},                    /* 0-byte message */
    {1, 255},                  /* longest short frame */
    {1, 256},                  /* shortest long frame */
    {4, 254, 255, 256, 257},   /* both sizes in one message */
    {1, (1u << 20) + 1},       /* > 1 MiB */
    {3, 0, 0, 0},              /* only empty frames */
    {3, 100, 1u << 20, 0},     /* a long frame in the middle */
};
#define NSPECIAL (sizeof SPECIAL / sizeof SPECIAL[0])
#define NSMALL_FULL 10000
#define NSMALL_RR 300

static int set_count(int nsmall) { return (int)NSPECIAL + nsmall; }

/* Frame lengths of message m; returns the frame count. */
static int set_frames(int m, size_t *lens)
{
    if (m < (int)NSPECIAL) {
        int n = (int)SPECIAL[m][0];
        for (int f = 0; f < n; f++)
            lens[f] = SPECIAL[m][f + 1];
        return n;
    }
    lens[0] = 1 + (size_t)(m % 23); /* small: 1..23 bytes */
    return 1;
}

static void fill(unsigned char *p, size_t len, int seed, int m, int f)
{
    uint32_t h = (uint32_t)seed * 0x9E3779B1u ^ (uint32_t)m * 0x85EBCA6Bu ^
                 (uint32_t)f * 0xC2B2AE35u;
    h ^= h >> 15;
    for (size_t j = 0; j < len; j++)
        p[j] = (unsigned char)(h + j * 131u + (j >> 8) * 7u);
}

/* A buffer big enough for any frame plus a topic byte. */
static unsigned char *g_buf, *g_exp;
/* curve-zap: every received frame must carry this ZAP User-Id. */
static const char *g_expect_user;
#define BUFSZ ((2u << 20) + 16)

static void send_frame(void *s, const void *data, size_t len, int more)
{
    int rc;
    do {
        rc = zmq_send(s, data, len, more ? ZMQ_SNDMORE : 0);
    } while (rc == -1 && zmq_errno() == EINTR);
    if (rc == -1)
        die("zmq_send of %zu bytes failed: %s (errno %d) while %s", len,
            zmq_strerror(zmq_errno()), zmq_errno(), g_phase);
    if ((size_t)rc != len)
        die("zmq_send returned %d for %zu bytes while %s", rc, len, g_phase);
}

/* Receives one frame into msg (initialised by the caller). */
static void recv_frame(void *s, zmq_msg_t *msg)
{
    int rc;
    do {
        rc = zmq_msg_recv(msg, s, 0);
    } while (rc == -1 && zmq_errno() == EINTR);
    if (rc == -1)
        die("zmq_msg_recv failed: %s (errno %d) while %s",
            zmq_strerror(zmq_errno()), zmq_errno(), g_phase);
    if ((size_t)rc != zmq_msg_size(msg))
        die("zmq_msg_recv returned %d but zmq_msg_size is %zu while %s", rc,
            zmq_msg_size(msg), g_phase);
    if (g_expect_user) {
        const char *user = zmq_msg_gets(msg, "User-Id");
        if (!user || strcmp(user, g_expect_user) != 0)
            die("message without the ZAP User-Id \"%s\" (got %s%s%s) while %s",
                g_expect_user, user ? "\"" : "", user ? user : "none",
                user ? "\"" : "", g_phase);
    }
}

static void describe(char *out, size_t outsz, const unsigned char *p, size_t n)
{
    size_t k = 0;
    out[0] = 0;
    for (size_t i = 0; i < n && i < 16 && k + 4 < outsz; i++)
        k += (size_t)snprintf(out + k, outsz - k, "%02x", p[i]);
    if (n > 16 && k + 4 < outsz)
        snprintf(out + k, outsz - k, "..");
}

/* Checks that msg holds exactly (data, len) and that its MORE flag is
 * `more`. */
static void expect_frame(zmq_msg_t *msg, const unsigned char *data, size_t len,
                         int more, const char *what)
{
    size_t got = zmq_msg_size(msg);
    int gmore = zmq_msg_more(msg);
    const unsigned char *p = zmq_msg_data(msg);
    char a[64], b[64];
    if (got != len || gmore != more) {
        describe(a, sizeof a, data, len);
        describe(b, sizeof b, p, got);
        die("%s: expected %zu bytes [%s] more=%d, got %zu bytes [%s] more=%d "
            "(while %s)",
            what, len, a, more, got, b, gmore, g_phase);
    }
    if (len && memcmp(p, data, len) != 0) {
        size_t j = 0;
        while (p[j] == data[j])
            j++;
        die("%s: %zu bytes, first difference at byte %zu: expected 0x%02x, "
            "got 0x%02x (while %s)",
            what, len, j, data[j], p[j], g_phase);
    }
}

static void expect_str(void *s, const char *str, size_t len, int more,
                       const char *what)
{
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    recv_frame(s, &msg);
    expect_frame(&msg, (const unsigned char *)str, len, more, what);
    zmq_msg_close(&msg);
}

/* Sends message m of the set. id: routing-id frame to put first (router),
 * topic: byte to put before frame 0 (0 = none). */
static void send_msg(void *s, int seed, int m, const void *id, size_t idlen,
                     unsigned char topic)
{
    size_t lens[8];
    int n = set_frames(m, lens);
    if (id)
        send_frame(s, id, idlen, 1);
    for (int f = 0; f < n; f++) {
        unsigned char *p = g_buf;
        size_t len = lens[f];
        if (f == 0 && topic) {
            g_buf[0] = topic;
            p = g_buf + 1;
            len++;
        }
        fill(p, lens[f], seed, m, f);
        send_frame(s, g_buf, len, f < n - 1);
    }
}

/* Receives and checks message m. When id_out is given, a routing-id frame
 * comes first and is copied there (its length in *idlen). */
static void recv_msg(void *s, int seed, int m, unsigned char topic,
                     unsigned char *id_out, size_t *idlen)
{
    size_t lens[8];
    char what[80];
    int n = set_frames(m, lens);
    zmq_msg_t msg;
    if (id_out) {
        zmq_msg_init(&msg);
        recv_frame(s, &msg);
        if (!zmq_msg_more(&msg))
            die("message %d: routing-id frame without MORE (while %s)", m,
                g_phase);
        *idlen = zmq_msg_size(&msg);
        if (*idlen > 255)
            die("message %d: routing id of %zu bytes", m, *idlen);
        memcpy(id_out, zmq_msg_data(&msg), *idlen);
        zmq_msg_close(&msg);
    }
    for (int f = 0; f < n; f++) {
        unsigned char *p = g_exp;
        size_t len = lens[f];
        if (f == 0 && topic) {
            g_exp[0] = topic;
            p = g_exp + 1;
            len++;
        }
        fill(p, lens[f], seed, m, f);
        zmq_msg_init(&msg);
        recv_frame(s, &msg);
        snprintf(what, sizeof what, "message %d frame %d", m, f);
        expect_frame(&msg, g_exp, len, f < n - 1, what);
        zmq_msg_close(&msg);
    }
}

static void send_set(void *s, int seed, int nsmall, const void *id,
                     size_t idlen)
{
    int total = set_count(nsmall);
    for (int m = 0; m < total; m++) {
        phase("sending message %d of %d (seed %d)", m, total, seed);
        send_msg(s, seed, m, id, idlen, 0);
    }
}

static void recv_set(void *s, int seed, int nsmall)
{
    int total = set_count(nsmall);
    for (int m = 0; m < total; m++) {
        phase("receiving message %d of %d (seed %d)", m, total, seed);
        recv_msg(s, seed, m, 0, NULL, NULL);
    }
    fprintf(stderr, "received all %d messages (seed %d)\n", total, seed);
}

/* ---- helpers ------------------------------------------------------------- */

static void set_int(void *s, int opt, int v, const char *name)
{
    if (zmq_setsockopt(s, opt, &v, sizeof v) == -1)
        die("zmq_setsockopt(%s, %d) failed: %s", name, v,
            zmq_strerror(zmq_errno()));
}

static int file_exists(const char *path) { return access(path, F_OK) == 0; }

static void touch(const char *path)
{
    int fd = open(path, O_CREAT | O_WRONLY, 0600);
    if (fd < 0)
        die("cannot create %s", path);
    close(fd);
}

/* The routing id the dealer sets in dealer-router-id: binary on purpose. */
static const unsigned char DEALER_ID[] = {'d', 'e', 'a', 'l', 'e',
                                          'r', 0x00, 0xff, '!'};

/* ---- scenarios ----------------------------------------------------------- */

static void sc_pair(void *s, int binder)
{
    if (binder) {
        send_set(s, 1, NSMALL_FULL, NULL, 0);
        recv_set(s, 2, NSMALL_FULL);
    } else {
        recv_set(s, 1, NSMALL_FULL);
        send_set(s, 2, NSMALL_FULL, NULL, 0);
    }
}

static void sc_dealer(void *s)
{
    send_set(s, 3, NSMALL_FULL, NULL, 0);
    recv_set(s, 4, NSMALL_FULL);
}

static void sc_router(void *s, int explicit_id)
{
    unsigned char first[256], id[256];
    size_t firstlen = 0, idlen = 0;
    int total = set_count(NSMALL_FULL);
    set_int(s, ZMQ_ROUTER_MANDATORY, 1, "ZMQ_ROUTER_MANDATORY");
    for (int m = 0; m < total; m++) {
        phase("receiving message %d of %d (seed 3)", m, total);
        recv_msg(s, 3, m, 0, id, &idlen);
        if (m == 0) {
            char d[64];
            describe(d, sizeof d, id, idlen);
            if (explicit_id) {
                if (idlen != sizeof DEALER_ID ||
                    memcmp(id, DEALER_ID, idlen) != 0)
                    die("routing id is %zu bytes [%s], expected the dealer's "
                        "ZMQ_ROUTING_ID (9 bytes 6465616c657200ff21)",
                        idlen, d);
            } else if (idlen != 5 || id[0] != 0) {
                die("auto-generated routing id is %zu bytes [%s], expected 5 "
                    "bytes starting with 0x00",
                    idlen, d);
            }
            memcpy(first, id, idlen);
            firstlen = idlen;
        } else if (idlen != firstlen || memcmp(id, first, idlen) != 0) {
            die("message %d came with another routing id", m);
        }
    }
    fprintf(stderr, "received all %d messages with the expected routing id\n",
            total);
    send_set(s, 4, NSMALL_FULL, first, firstlen);
}

static void sc_req(void *s)
{
    int total = set_count(NSMALL_RR);
    for (int m = 0; m < total; m++) {
        phase("request %d of %d", m, total);
        send_msg(s, 5, m, NULL, 0, 0);
        phase("waiting for reply %d of %d", m, total);
        recv_msg(s, 6, m, 0, NULL, NULL);
    }
    fprintf(stderr, "%d round trips ok\n", total);
}

static void sc_rep(void *s)
{
    int total = set_count(NSMALL_RR);
    for (int m = 0; m < total; m++) {
        phase("waiting for request %d of %d", m, total);
        recv_msg(s, 5, m, 0, NULL, NULL);
        phase("replying %d of %d", m, total);
        send_msg(s, 6, m, NULL, 0, 0);
    }
    fprintf(stderr, "%d round trips ok\n", total);
}

/* Pub side of the data phase of pubsub and xpubsub. */
static void publish_set(void *s)
{
    int total = set_count(NSMALL_FULL);
    for (int m = 0; m < total; m++) {
        phase("publishing message %d of %d", m, total);
        send_msg(s, 7, m, NULL, 0, 'B'); /* must be filtered out */
        send_msg(s, 7, m, NULL, 0, 'A');
    }
    send_frame(s, "BEND", 4, 0);
    send_frame(s, "AEND", 4, 0);
}

/* Sub side of the data phase; the first message may already be in msg0. */
static void receive_published(void *s)
{
    int total = set_count(NSMALL_FULL);
    for (int m = 0; m < total; m++) {
        phase("receiving published message %d of %d", m, total);
        recv_msg(s, 7, m, 'A', NULL, NULL);
    }
    phase("waiting for AEND");
    expect_str(s, "AEND", 4, 0, "final message");
    fprintf(stderr, "received all %d published messages, no B-topic one\n",
            total);
}

static void sc_pub(void *s, const char *sync)
{
    if (!sync)
        die("pubsub needs SYNCFILE");
    phase("saying Ahello until the subscriber creates %s", sync);
    int n = 0;
    while (!file_exists(sync)) {
        send_frame(s, "Ahello", 6, 0);
        n++;
        sleep_ms(10);
    }
    fprintf(stderr, "subscriber heard us after %d hellos\n", n);
    publish_set(s);
}

static void sc_sub(void *s, const char *sync)
{
    if (!sync)
        die("pubsub needs SYNCFILE");
    int hellos = 0;
    for (;;) {
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        phase("waiting for Ahello (%d so far)", hellos);
        recv_frame(s, &msg);
        if (zmq_msg_size(&msg) == 6 && !zmq_msg_more(&msg) &&
            memcmp(zmq_msg_data(&msg), "Ahello", 6) == 0) {
            if (hellos++ == 0)
                touch(sync);
            zmq_msg_close(&msg);
            continue;
        }
        if (hellos == 0)
            die("first message is not Ahello");
        /* The first data message: check it like recv_msg would. */
        size_t lens[8];
        int n = set_frames(0, lens);
        for (int f = 0; f < n; f++) {
            unsigned char *p = g_exp;
            size_t len = lens[f];
            if (f == 0) {
                g_exp[0] = 'A';
                p = g_exp + 1;
                len++;
            }
            fill(p, lens[f], 7, 0, f);
            if (f > 0) {
                zmq_msg_init(&msg);
                recv_frame(s, &msg);
            }
            char what[40];
            snprintf(what, sizeof what, "message 0 frame %d", f);
            expect_frame(&msg, g_exp, len, f < n - 1, what);
            zmq_msg_close(&msg);
        }
        break;
    }
    int total = set_count(NSMALL_FULL);
    for (int m = 1; m < total; m++) {
        phase("receiving published message %d of %d", m, total);
        recv_msg(s, 7, m, 'A', NULL, NULL);
    }
    phase("waiting for AEND");
    expect_str(s, "AEND", 4, 0, "final message");
    fprintf(stderr, "received all %d published messages, no B-topic one\n",
            total);
}

static void sc_xpub(void *s)
{
    phase("waiting for the subscription to A");
    expect_str(s, "\x01" "A", 2, 0, "first subscription message");
    send_frame(s, "Aready", 6, 0);
    phase("waiting for the subscription to B");
    expect_str(s, "\x01" "B", 2, 0, "second subscription message");
    phase("waiting for the unsubscription from B");
    expect_str(s, "\x00" "B", 2, 0, "unsubscription message");
    fprintf(stderr, "saw \\x01A, \\x01B, \\x00B\n");
    publish_set(s);
}

static void sc_xsub_side(void *s)
{
    phase("waiting for Aready");
    expect_str(s, "Aready", 6, 0, "first message");
    CHECK(zmq_setsockopt(s, ZMQ_SUBSCRIBE, "B", 1));
    CHECK(zmq_setsockopt(s, ZMQ_UNSUBSCRIBE, "B", 1));
    receive_published(s);
}

static void sc_hb_router(void *s)
{
    unsigned char id[256], id2[256];
    size_t idlen = 0, id2len = 0;
    zmq_msg_t msg;
    for (int round = 1; round <= 2; round++) {
        char ping[16], pong[16];
        snprintf(ping, sizeof ping, "ping-%d", round);
        snprintf(pong, sizeof pong, "pong-%d", round);
        phase("waiting for %s", ping);
        zmq_msg_init(&msg);
        recv_frame(s, &msg);
        if (round == 1) {
            idlen = zmq_msg_size(&msg);
            memcpy(id, zmq_msg_data(&msg), idlen);
        } else {
            id2len = zmq_msg_size(&msg);
            memcpy(id2, zmq_msg_data(&msg), id2len);
            if (id2len != idlen || memcmp(id, id2, idlen) != 0)
                die("after 1.2 s idle the dealer came back with another "
                    "routing id: the connection was dropped and re-made "
                    "(heartbeat timeout?)");
        }
        zmq_msg_close(&msg);
        expect_str(s, ping, strlen(ping), 0, "request");
        send_frame(s, id, idlen, 1);
        send_frame(s, pong, strlen(pong), 0);
    }
    fprintf(stderr, "same connection across the idle period\n");
}

static void sc_hb_dealer(void *s)
{
    for (int round = 1; round <= 2; round++) {
        char ping[16], pong[16];
        snprintf(ping, sizeof ping, "ping-%d", round);
        snprintf(pong, sizeof pong, "pong-%d", round);
        phase("sending %s", ping);
        send_frame(s, ping, strlen(ping), 0);
        phase("waiting for %s", pong);
        expect_str(s, pong, strlen(pong), 0, "reply");
        if (round == 1) {
            phase("idle");
            sleep_ms(1200);
        }
    }
}

static void sc_hbdead_router(void *s, const char *sync)
{
    unsigned char id[256];
    size_t idlen;
    zmq_msg_t msg;
    if (!sync)
        die("hb-dead needs SYNCFILE");
    set_int(s, ZMQ_ROUTER_MANDATORY, 1, "ZMQ_ROUTER_MANDATORY");
    phase("waiting for ping-1");
    zmq_msg_init(&msg);
    recv_frame(s, &msg);
    idlen = zmq_msg_size(&msg);
    memcpy(id, zmq_msg_data(&msg), idlen);
    zmq_msg_close(&msg);
    expect_str(s, "ping-1", 6, 0, "request");
    send_frame(s, id, idlen, 1);
    send_frame(s, "pong-1", 6, 0);
    phase("waiting for the runner to freeze the dealer");
    while (!file_exists(sync))
        sleep_ms(10);
    double t0 = now_s();
    phase("probing the frozen dealer until it is unroutable");
    for (;;) {
        int rc = zmq_send(s, id, idlen, ZMQ_SNDMORE | ZMQ_DONTWAIT);
        if (rc == -1 && zmq_errno() == EHOSTUNREACH)
            break;
        if (rc == -1 && zmq_errno() != EAGAIN && zmq_errno() != EINTR)
            die("probe send failed with %s, expected EHOSTUNREACH",
                zmq_strerror(zmq_errno()));
        if (rc >= 0)
            CHECK(zmq_send(s, "probe", 5, ZMQ_DONTWAIT));
        if (now_s() - t0 > 3.0)
            die("frozen dealer still routable 3 s later: the heartbeat "
                "timeout (300 ms) did not drop the connection");
        sleep_ms(50);
    }
    fprintf(stderr, "dealer unroutable %.2f s after it was frozen\n",
            now_s() - t0);
}

static void sc_hbdead_dealer(void *s)
{
    phase("sending ping-1");
    send_frame(s, "ping-1", 6, 0);
    phase("waiting for pong-1");
    expect_str(s, "pong-1", 6, 0, "reply");
    printf("stop-me %d\n", (int)getpid());
    fflush(stdout);
    phase("waiting to be frozen and killed");
    for (;;)
        pause();
}

static void sc_echo(void *s)
{
    zmq_msg_t msgs[16];
    for (int n = 0;; n++) {
        int k = 0;
        phase("waiting for request %d", n);
        do {
            if (k == 16)
                die("request %d has more than 16 frames", n);
            zmq_msg_init(&msgs[k]);
            recv_frame(s, &msgs[k]);
        } while (zmq_msg_more(&msgs[k++]));
        if (k == 1 && zmq_msg_size(&msgs[0]) == 4 &&
            memcmp(zmq_msg_data(&msgs[0]), "quit", 4) == 0) {
            zmq_msg_close(&msgs[0]);
            send_frame(s, "bye", 3, 0);
            fprintf(stderr, "echoed %d requests\n", n);
            return;
        }
        phase("echoing request %d", n);
        for (int f = 0; f < k; f++)
            CHECK(zmq_msg_send(&msgs[f], s, f < k - 1 ? ZMQ_SNDMORE : 0));
    }
}

static void sc_ticker(void *s, const char *sync)
{
    char buf[32];
    if (!sync)
        die("ticker needs SYNCFILE");
    phase("saying Ahello until the subscriber creates %s", sync);
    while (!file_exists(sync)) {
        send_frame(s, "Ahello", 6, 0);
        sleep_ms(10);
    }
    phase("ticking");
    for (int i = 0; i < 1000; i++) {
        int n = snprintf(buf, sizeof buf, "B%d", i);
        send_frame(s, buf, (size_t)n, 0);
        n = snprintf(buf, sizeof buf, "A%d", i);
        if (i % 100 == 0) {
            send_frame(s, buf, (size_t)n, 1);
            send_frame(s, "", 0, 1);
            send_frame(s, "tail", 4, 0);
        } else {
            send_frame(s, buf, (size_t)n, 0);
        }
    }
    send_frame(s, "AEND", 4, 0);
}

/* ---- main ---------------------------------------------------------------- */

static const struct {
    const char *name;
    int type;
} TYPES[] = {
    {"pair", ZMQ_PAIR},     {"push", ZMQ_PUSH},     {"pull", ZMQ_PULL},
    {"dealer", ZMQ_DEALER}, {"router", ZMQ_ROUTER}, {"req", ZMQ_REQ},
    {"rep", ZMQ_REP},       {"pub", ZMQ_PUB},       {"sub", ZMQ_SUB},
    {"xpub", ZMQ_XPUB},     {"xsub", ZMQ_XSUB},     {"dgram", 18 /* ZMQ_DGRAM */},
};

/* ---- dgram over udp (DGRAM is a draft type, but Debian's stable build
 * creates it): every message is two frames, the peer's "ip:port" then the
 * body, one datagram each. The runner picks both ports and passes them as
 * DGRAM_A (the binder's "127.0.0.1:P") and DGRAM_B (the connecter's, which
 * binds too: a DGRAM cannot connect). udp may lose datagrams even on
 * loopback, so the connecter resends a request until its reply comes. */
#define NDGRAM 300
static const char *dg_env(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v)
        die("%s is not set (the runner sets it for dgram)", name);
    return v;
}

static size_t dg_len(int i) { return 4 + (size_t)(i * 37 % 1400); }

/* A request body: its sequence number (4 bytes, little endian) then bytes
 * from fill(). */
static void dg_body(unsigned char *p, int i)
{
    size_t len = dg_len(i);
    fill(p, len, 9, i, 0);
    for (int k = 0; k < 4; k++)
        p[k] = (unsigned char)((unsigned)i >> (8 * k));
}

static int dg_recv(void *s, char *addr, size_t addrsz, size_t *addrlen,
                   unsigned char *body, size_t bodysz, size_t *bodylen)
{
    int rc = zmq_recv(s, addr, addrsz - 1, ZMQ_DONTWAIT);
    if (rc == -1)
        return -1;
    if ((size_t)rc >= addrsz - 1)
        die("address frame of %d bytes", rc);
    addr[rc] = 0;
    *addrlen = (size_t)rc;
    int more = 0;
    size_t ml = sizeof more;
    CHECK(zmq_getsockopt(s, ZMQ_RCVMORE, &more, &ml));
    if (!more)
        die("address frame \"%s\" without a body frame", addr);
    rc = zmq_recv(s, body, bodysz, 0);
    if (rc == -1)
        die("body frame: %s", zmq_strerror(zmq_errno()));
    *bodylen = (size_t)rc;
    return 0;
}

static int dg_wait(void *s, long ms)
{
    zmq_pollitem_t it = {s, 0, ZMQ_POLLIN, 0};
    int rc = zmq_poll(&it, 1, ms);
    if (rc == -1 && zmq_errno() != EINTR)
        die("zmq_poll: %s", zmq_strerror(zmq_errno()));
    return rc > 0;
}

/* Binder: answers each request (from DGRAM_B) with "R" + body until the
 * connecter is done. */
static void sc_dgram_server(void *s, const char *sync)
{
    const char *peer = dg_env("DGRAM_B");
    char theirs[600], addr[64];
    snprintf(theirs, sizeof theirs, "%s.done-connect", sync);
    int seen = 0;
    phase("answering dgram requests");
    while (!file_exists(theirs)) {
        if (!dg_wait(s, 20))
            continue;
        size_t al, bl;
        if (dg_recv(s, addr, sizeof addr, &al, g_buf + 1, BUFSZ - 1, &bl) == -1)
            continue;
        if (strcmp(addr, peer) != 0)
            die("request from \"%s\", expected \"%s\"", addr, peer);
        if (bl == 3 && !memcmp(g_buf + 1, "END", 3)) {
            seen = 1;
        } else {
            if (bl < 4)
                die("request of %zu bytes", bl);
            int i = (int)(g_buf[1] | g_buf[2] << 8 | g_buf[3] << 16 |
                          (unsigned)g_buf[4] << 24);
            if (i < 0 || i >= NDGRAM || bl != dg_len(i))
                die("request %d of %zu bytes", i, bl);
            dg_body(g_exp, i);
            if (memcmp(g_exp, g_buf + 1, bl))
                die("request %d differs from what was sent", i);
        }
        g_buf[0] = 'R';
        send_frame(s, addr, al, 1);
        send_frame(s, g_buf, bl + 1, 0);
    }
    if (!seen)
        die("the connecter finished without its END reaching us");
}

/* Connecter: NDGRAM requests of 4..1403 bytes, each resent every 200 ms
 * until its exact reply arrives from DGRAM_A, then END. */
static void sc_dgram_client(void *s)
{
    const char *peer = dg_env("DGRAM_A");
    char addr[64];
    size_t resent = 0;
    for (int i = 0; i <= NDGRAM; i++) {
        int end = i == NDGRAM;
        size_t len = end ? 3 : dg_len(i);
        if (end)
            memcpy(g_exp, "END", 3);
        else
            dg_body(g_exp, i);
        phase("dgram request %d of %d", i, NDGRAM);
        for (int got = 0; !got;) {
            send_frame(s, peer, strlen(peer), 1);
            send_frame(s, g_exp, len, 0);
            double until = now_s() + 0.2;
            while (!got && now_s() < until) {
                if (!dg_wait(s, 20))
                    continue;
                size_t al, bl;
                if (dg_recv(s, addr, sizeof addr, &al, g_buf, BUFSZ, &bl) == -1)
                    continue;
                if (strcmp(addr, peer) != 0)
                    die("reply from \"%s\", expected \"%s\"", addr, peer);
                if (bl == len + 1 && g_buf[0] == 'R' &&
                    !memcmp(g_buf + 1, g_exp, len))
                    got = 1; /* else a late reply to an earlier request */
            }
            if (!got)
                resent++;
        }
    }
    fprintf(stderr, "dgram: %d requests answered (%zu resent)\n", NDGRAM, resent);
}

/* ---- CURVE (RFC 26): "curve-X" runs scenario X with the binder as the
 * CURVE server and the connecter as a CURVE client. Fixed test keys. */
static const char SERVER_PUB[] = "vS9$WSwR3[y6QBs-O[^Bv&&N$u^:kj[:V6IVG3Yu";
static const char SERVER_SEC[] = "0%4(f6+Y/QcI@8B>O[=ZHjs%e@}@2!>u/FaUD{IB";
static const char CLIENT_PUB[] = "N#jcZ+S50e3:aBxytS)QawlfAcvPKf!+P1ZBXQr/";
static const char CLIENT_SEC[] = "//T2.ay-p}F4pn?lRIZ7g$4X{zAJq2YXl$mag8qm";
/* Another key pair's public key: a client given it as the server key
 * cannot talk to our server. */
static const char OTHER_PUB[] = "9d]lH:.{t$OUK:.k-d+7qa/WA@QJwX4Qm7}q=94g";
#define CURVE_USER "curve-user"

static void set_key(void *s, int opt, const char *z85, const char *name)
{
    if (zmq_setsockopt(s, opt, z85, 40) != 0)
        die("zmq_setsockopt(%s) failed: %s", name, zmq_strerror(zmq_errno()));
}

/* ZAP handler (RFC 27) in the binder's context: allows CLIENT_PUB only,
 * naming it CURVE_USER. Ends when the context terminates. */
static void *zap_handler(void *ctx)
{
    void *zap = zmq_socket(ctx, ZMQ_REP);
    if (!zap || zmq_bind(zap, "inproc://zeromq.zap.01") != 0)
        die("cannot bind the ZAP handler: %s", zmq_strerror(zmq_errno()));
    set_int(zap, ZMQ_LINGER, 0, "ZMQ_LINGER");
    uint8_t allowed[32];
    zmq_z85_decode(allowed, CLIENT_PUB);
    for (;;) {
        char f[8][64];
        int len[8], n = 0, more = 1;
        while (more) {
            int rc = zmq_recv(zap, n < 8 ? f[n] : f[7], 64, 0);
            if (rc < 0) {
                zmq_close(zap);
                return NULL;
            }
            if (n < 8)
                len[n++] = rc;
            size_t sz = sizeof more;
            zmq_getsockopt(zap, ZMQ_RCVMORE, &more, &sz);
        }
        int ok = n == 7 && len[5] == 5 && !memcmp(f[5], "CURVE", 5) &&
                 len[6] == 32 && !memcmp(f[6], allowed, 32);
        zmq_send(zap, "1.0", 3, ZMQ_SNDMORE);
        zmq_send(zap, f[1], (size_t)len[1], ZMQ_SNDMORE);
        zmq_send(zap, ok ? "200" : "400", 3, ZMQ_SNDMORE);
        zmq_send(zap, ok ? "OK" : "denied", ok ? 2 : 6, ZMQ_SNDMORE);
        zmq_send(zap, ok ? CURVE_USER : "", ok ? strlen(CURVE_USER) : 0,
                 ZMQ_SNDMORE);
        zmq_send(zap, "", 0, 0);
    }
}

/* Applies the CURVE roles; returns the scenario to run. */
static const char *curve_setup(void *ctx, void *s, const char *sc, int binder)
{
    if (strncmp(sc, "curve-", 6) != 0)
        return sc;
    sc += 6;
    if (binder) {
        set_int(s, ZMQ_CURVE_SERVER, 1, "ZMQ_CURVE_SERVER");
        set_key(s, ZMQ_CURVE_SECRETKEY, SERVER_SEC, "ZMQ_CURVE_SECRETKEY");
    } else {
        set_key(s, ZMQ_CURVE_SERVERKEY,
                strcmp(sc, "badkey") ? SERVER_PUB : OTHER_PUB,
                "ZMQ_CURVE_SERVERKEY");
        set_key(s, ZMQ_CURVE_PUBLICKEY, CLIENT_PUB, "ZMQ_CURVE_PUBLICKEY");
        set_key(s, ZMQ_CURVE_SECRETKEY, CLIENT_SEC, "ZMQ_CURVE_SECRETKEY");
    }
    int mech = 0;
    size_t sz = sizeof mech;
    if (zmq_getsockopt(s, ZMQ_MECHANISM, &mech, &sz) != 0 || mech != ZMQ_CURVE)
        die("ZMQ_MECHANISM is %d, not ZMQ_CURVE", mech);
    if (!strncmp(sc, "zap-", 4)) {
        sc += 4;
        if (binder) {
            pthread_t t;
            if (pthread_create(&t, NULL, zap_handler, ctx) != 0)
                die("pthread_create failed");
            pthread_detach(t);
            sleep_ms(50); /* the handler binds before any client arrives */
            g_expect_user = CURVE_USER;
        }
    }
    return sc;
}

/* curve-badkey, server side: the client's HELLO does not open, which the
 * monitor reports as a CRYPTOGRAPHIC protocol failure. */
static void sc_badkey_server(void *ctx, void *s)
{
    if (zmq_socket_monitor(s, "inproc://badkey-mon",
                           ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                             ZMQ_EVENT_HANDSHAKE_SUCCEEDED) != 0)
        die("zmq_socket_monitor failed: %s", zmq_strerror(zmq_errno()));
    void *mon = zmq_socket(ctx, ZMQ_PAIR);
    if (!mon || zmq_connect(mon, "inproc://badkey-mon") != 0)
        die("cannot connect the monitor");
    phase("waiting for HANDSHAKE_FAILED_PROTOCOL");
    zmq_msg_t m;
    zmq_msg_init(&m);
    recv_frame(mon, &m);
    uint16_t ev;
    uint32_t val;
    memcpy(&ev, zmq_msg_data(&m), 2);
    memcpy(&val, (char *)zmq_msg_data(&m) + 2, 4);
    zmq_msg_close(&m);
    zmq_msg_init(&m);
    recv_frame(mon, &m);
    zmq_msg_close(&m);
    if (ev != ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL ||
        val != ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC)
        die("monitor event 0x%x value 0x%x, expected HANDSHAKE_FAILED_PROTOCOL "
            "0x%x",
            ev, val, ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC);
    set_int(s, ZMQ_RCVTIMEO, 200, "ZMQ_RCVTIMEO");
    char buf[16];
    if (zmq_recv(s, buf, sizeof buf, 0) >= 0)
        die("a message got through from a client with the wrong server key");
    zmq_socket_monitor(s, NULL, 0);
    zmq_close(mon);
    fprintf(stderr, "wrong server key refused (CRYPTOGRAPHIC)\n");
}

static void sc_badkey_client(void *s)
{
    set_int(s, ZMQ_LINGER, 0, "ZMQ_LINGER");
    zmq_send(s, "x", 1, ZMQ_DONTWAIT);
}

static void usage(void)
{
    fprintf(stderr, "usage: peer SCENARIO TYPE bind|connect ENDPOINT "
                    "[SYNCFILE]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 5 || argc > 6)
        usage();
    g_scenario = argv[1];
    g_type = argv[2];
    g_mode = argv[3];
    const char *endpoint = argv[4];
    const char *sync = argc > 5 ? argv[5] : NULL;
    int binder = strcmp(g_mode, "bind") == 0;
    if (!binder && strcmp(g_mode, "connect") != 0)
        usage();
    int type = -1;
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
        if (strcmp(TYPES[i].name, g_type) == 0)
            type = TYPES[i].type;
    if (type < 0)
        usage();

    zmq_version(&g_major, &g_minor, &g_patch);
    Dl_info info;
    const char *lib = "?";
    if (dladdr((void *)zmq_version, &info) && info.dli_fname)
        lib = info.dli_fname;
    fprintf(stderr, "peer %s %s %s %s: libzmq %d.%d.%d from %s\n", g_scenario,
            g_type, g_mode, endpoint, g_major, g_minor, g_patch, lib);

    const char *t = getenv("PEER_TIMEOUT");
    signal(SIGALRM, on_alarm);
    alarm(t && atoi(t) > 0 ? (unsigned)atoi(t) : 8);

    g_buf = malloc(BUFSZ);
    g_exp = malloc(BUFSZ);
    if (!g_buf || !g_exp)
        die("out of memory");

    void *ctx = zmq_ctx_new();
    if (!ctx)
        die("zmq_ctx_new failed");
    void *s = zmq_socket(ctx, type);
    if (!s)
        die("zmq_socket(%s) failed: %s", g_type, zmq_strerror(zmq_errno()));

    const char *sc = curve_setup(ctx, s, g_scenario, binder);
    /* Options that must be in place before bind/connect. */
    if (strchr(endpoint, '['))
        set_int(s, ZMQ_IPV6, 1, "ZMQ_IPV6");
    if (type == ZMQ_PUB || type == ZMQ_XPUB || type == ZMQ_ROUTER)
        set_int(s, ZMQ_SNDHWM, 0, "ZMQ_SNDHWM"); /* never drop */
    if (type == ZMQ_SUB)
        set_int(s, ZMQ_RCVHWM, 0, "ZMQ_RCVHWM");
    if (type == ZMQ_SUB && (!strcmp(sc, "pubsub") || !strcmp(sc, "xpubsub")))
        CHECK(zmq_setsockopt(s, ZMQ_SUBSCRIBE, "A", 1));
    if (type == ZMQ_DEALER && !strcmp(sc, "dealer-router-id"))
        CHECK(zmq_setsockopt(s, ZMQ_ROUTING_ID, DEALER_ID, sizeof DEALER_ID));
    if ((!strcmp(sc, "hb-bind") && binder) ||
        (!strcmp(sc, "hb-connect") && !binder) ||
        (!strcmp(sc, "hb-dead") && type == ZMQ_ROUTER)) {
        set_int(s, ZMQ_HEARTBEAT_IVL, 100, "ZMQ_HEARTBEAT_IVL");
        set_int(s, ZMQ_HEARTBEAT_TIMEOUT, 300, "ZMQ_HEARTBEAT_TIMEOUT");
        fprintf(stderr, "heartbeats on: ivl 100 ms, timeout 300 ms\n");
    }

    if (binder) {
        phase("binding %s", endpoint);
        CHECK(zmq_bind(s, endpoint));
        char last[256];
        size_t len = sizeof last;
        CHECK(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, last, &len));
        /* libzmq's udp last endpoint is the address without "udp://". */
        if (type == 18 && strcmp(last, endpoint + 6) != 0)
            die("ZMQ_LAST_ENDPOINT of %s is \"%s\", expected \"%s\"",
                endpoint, last, endpoint + 6);
        printf("%s\n", last);
        fflush(stdout);
    } else if (type == 18) {
        char self[128];
        snprintf(self, sizeof self, "udp://%s", dg_env("DGRAM_B"));
        phase("binding %s (a DGRAM cannot connect)", self);
        CHECK(zmq_bind(s, self));
    } else {
        phase("connecting %s", endpoint);
        CHECK(zmq_connect(s, endpoint));
    }

#define IS(name, ty) (!strcmp(sc, name) && type == (ty))
    if (IS("pair", ZMQ_PAIR))
        sc_pair(s, binder);
    else if (IS("pushpull", ZMQ_PUSH))
        send_set(s, 1, NSMALL_FULL, NULL, 0);
    else if (IS("pushpull", ZMQ_PULL))
        recv_set(s, 1, NSMALL_FULL);
    else if ((IS("dealer-router", ZMQ_DEALER) ||
              IS("dealer-router-id", ZMQ_DEALER)))
        sc_dealer(s);
    else if (IS("dealer-router", ZMQ_ROUTER))
        sc_router(s, 0);
    else if (IS("dealer-router-id", ZMQ_ROUTER))
        sc_router(s, 1);
    else if (IS("reqrep", ZMQ_REQ))
        sc_req(s);
    else if (IS("reqrep", ZMQ_REP))
        sc_rep(s);
    else if (IS("pubsub", ZMQ_PUB))
        sc_pub(s, sync);
    else if (IS("pubsub", ZMQ_SUB))
        sc_sub(s, sync);
    else if (IS("xpubsub", ZMQ_XPUB))
        sc_xpub(s);
    else if (IS("xpubsub", ZMQ_SUB))
        sc_xsub_side(s);
    else if ((IS("hb-bind", ZMQ_ROUTER) || IS("hb-connect", ZMQ_ROUTER)))
        sc_hb_router(s);
    else if ((IS("hb-bind", ZMQ_DEALER) || IS("hb-connect", ZMQ_DEALER)))
        sc_hb_dealer(s);
    else if (IS("hb-dead", ZMQ_ROUTER))
        sc_hbdead_router(s, sync);
    else if (IS("hb-dead", ZMQ_DEALER))
        sc_hbdead_dealer(s);
    else if (IS("dgram", 18))
        binder ? sc_dgram_server(s, sync) : sc_dgram_client(s);
    else if (IS("badkey", ZMQ_ROUTER))
        sc_badkey_server(ctx, s);
    else if (IS("badkey", ZMQ_DEALER))
        sc_badkey_client(s);
    else if (IS("echo", ZMQ_REP))
        sc_echo(s);
    else if (IS("ticker", ZMQ_PUB))
        sc_ticker(s, sync);
    else
        die("no scenario %s for socket type %s", sc, g_type);
#undef IS

    /* Barrier: neither side closes before the other has received everything
     * (libzmq 4.3 may drop unsent ipc data at close despite ZMQ_LINGER,
     * zeromq/libzmq#4660, so delivery must not rest on linger). */
    if (sync && strcmp(sc, "hb-dead") != 0) {
        char mine[600], theirs[600];
        snprintf(mine, sizeof mine, "%s.done-%s", sync, binder ? "bind" : "connect");
        snprintf(theirs, sizeof theirs, "%s.done-%s", sync, binder ? "connect" : "bind");
        touch(mine);
        phase("waiting for the peer to finish (%s)", theirs);
        while (!file_exists(theirs))
            sleep_ms(5);
    }
    phase("closing the socket");
    CHECK(zmq_close(s));
    phase("terminating the context");
    CHECK(zmq_ctx_term(ctx));
    fprintf(stderr, "peer %s %s %s: ok\n", g_scenario, g_type, g_mode);
    free(g_buf);
    free(g_exp);
    return 0;
}
