/* Shared helpers for zmq-compat-suite cases. Written for this project.
 * Every case: one behaviour, a main() that exits non-zero on the first
 * failed check (printing what failed), 77 when it cannot run here. */
#ifndef COMPAT_TESTUTIL_H
#define COMPAT_TESTUTIL_H
#define _GNU_SOURCE
#include <zmq.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <time.h>
#include <dirent.h>

#define SKIP_EXIT 77

#define FAIL(...)                                                       \
    do {                                                                \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                 \
        fprintf(stderr, __VA_ARGS__);                                   \
        fprintf(stderr, "\n");                                          \
        exit(1);                                                        \
    } while (0)

/* CHECK(cond): fail with the condition text and the current zmq errno. */
#define CHECK(cond)                                                     \
    do {                                                                \
        if (!(cond))                                                    \
            FAIL("check failed: %s (errno %d: %s)", #cond, zmq_errno(), \
                 zmq_strerror(zmq_errno()));                            \
    } while (0)

/* CHECK_OK(expr): expr must return >= 0 (or non-NULL via CHECK). */
#define CHECK_OK(expr)                                                  \
    do {                                                                \
        if ((expr) < 0)                                                 \
            FAIL("%s failed (errno %d: %s)", #expr, zmq_errno(),        \
                 zmq_strerror(zmq_errno()));                            \
    } while (0)

/* CHECK_ERR(expr, err): expr must return -1 with errno == err. */
#define CHECK_ERR(expr, err)                                            \
    do {                                                                \
        int rc_ = (int) (expr);                                         \
        int e_ = zmq_errno();                                           \
        if (rc_ != -1 || e_ != (err))                                   \
            FAIL("%s: expected -1/%s, got %d/errno %d (%s)", #expr,     \
                 #err, rc_, e_, zmq_strerror(e_));                      \
    } while (0)

#define CHECK_EQ_INT(a, b)                                              \
    do {                                                                \
        long long a_ = (long long) (a), b_ = (long long) (b);           \
        if (a_ != b_)                                                   \
            FAIL("%s == %s: %lld != %lld", #a, #b, a_, b_);             \
    } while (0)

/* Kill the case if it hangs: the runner has its own timeout too. */
static inline void test_deadline (unsigned seconds)
{
    alarm (seconds);
}

static inline void msleep (int ms)
{
    struct timespec ts = {ms / 1000, (long) (ms % 1000) * 1000000L};
    nanosleep (&ts, NULL);
}

static inline long long now_ms (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Bind to an ephemeral loopback tcp port; writes the resolved endpoint. */
static inline void bind_tcp_ephemeral (void *s, char *endpoint, size_t len)
{
    CHECK_OK (zmq_bind (s, "tcp://127.0.0.1:*"));
    size_t l = len;
    CHECK_OK (zmq_getsockopt (s, ZMQ_LAST_ENDPOINT, endpoint, &l));
}

/* Binds s to bind_ep ("tcp" for an ephemeral loopback port) and gives the
   endpoint to connect to in endpoint. */
static inline void bind_endpoint (void *s, const char *bind_ep, char *endpoint,
                                  size_t len)
{
    if (strcmp (bind_ep, "tcp") == 0)
        bind_tcp_ephemeral (s, endpoint, len);
    else {
        snprintf (endpoint, len, "%s", bind_ep);
        CHECK_OK (zmq_bind (s, endpoint));
    }
}

/* A unique ipc endpoint for this process. */
static inline void ipc_endpoint (char *buf, size_t len, const char *tag)
{
    snprintf (buf, len, "ipc:///tmp/zcs-%d-%s.sock", (int) getpid (), tag);
}

/* A unique inproc endpoint name. */
static inline void inproc_endpoint (char *buf, size_t len, const char *tag)
{
    snprintf (buf, len, "inproc://zcs-%d-%s", (int) getpid (), tag);
}

/* Two PAIR sockets of ctx, *bound bound at a unique inproc endpoint named
   after tag and *connected connected to it. */
static inline void inproc_pair (void *ctx, const char *tag, void **bound, void **connected)
{
    char ep[128];
    inproc_endpoint (ep, sizeof ep, tag);
    *bound = zmq_socket (ctx, ZMQ_PAIR);
    *connected = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (*bound && *connected);
    CHECK_OK (zmq_bind (*bound, ep));
    CHECK_OK (zmq_connect (*connected, ep));
}

static inline void send_str (void *s, const char *str, int flags)
{
    int n = zmq_send (s, str, strlen (str), flags);
    if (n != (int) strlen (str))
        FAIL ("send '%s' failed: rc %d errno %d (%s)", str, n, zmq_errno (),
              zmq_strerror (zmq_errno ()));
}

/* Receive one frame and compare it with an expected string. */
static inline void recv_str_eq (void *s, const char *expected, int flags)
{
    char buf[4096];
    int n = zmq_recv (s, buf, sizeof buf - 1, flags);
    if (n < 0)
        FAIL ("recv (expecting '%s') failed: errno %d (%s)", expected,
              zmq_errno (), zmq_strerror (zmq_errno ()));
    if (n > (int) sizeof buf - 1)
        FAIL ("recv (expecting '%s'): frame of %d bytes", expected, n);
    buf[n] = 0;
    if (strcmp (buf, expected) != 0)
        FAIL ("recv: expected '%s', got '%s'", expected, buf);
}

/* Set an int option, checked. */
static inline void set_int (void *s, int opt, int v)
{
    if (zmq_setsockopt (s, opt, &v, sizeof v) != 0)
        FAIL ("setsockopt %d=%d failed: errno %d (%s)", opt, v, zmq_errno (),
              zmq_strerror (zmq_errno ()));
}

static inline int get_int (void *s, int opt)
{
    int v = 0;
    size_t l = sizeof v;
    if (zmq_getsockopt (s, opt, &v, &l) != 0)
        FAIL ("getsockopt %d failed: errno %d (%s)", opt, zmq_errno (),
              zmq_strerror (zmq_errno ()));
    return v;
}

#endif

/* ---- Helpers for the sock_/tr_/wire_/hwm_/linger_ cases. ---------------- */
#ifndef COMPAT_TESTUTIL_SOCK_HELPERS
#define COMPAT_TESTUTIL_SOCK_HELPERS

/* 1 when socket s has a message to read within timeout_ms, else 0. */
static inline int poll_in_ms (void *s, int timeout_ms)
{
    zmq_pollitem_t item = {s, 0, ZMQ_POLLIN, 0};
    long long deadline = now_ms () + timeout_ms;
    for (;;) {
        long left = (long) (deadline - now_ms ());
        if (left < 0)
            left = 0;
        int rc = zmq_poll (&item, 1, left);
        if (rc < 0 && zmq_errno () == EINTR)
            continue;
        if (rc < 0)
            FAIL ("zmq_poll failed: errno %d (%s)", zmq_errno (),
                  zmq_strerror (zmq_errno ()));
        return rc > 0 && (item.revents & ZMQ_POLLIN);
    }
}

/* Receive one frame within timeout_ms into buf (NUL-terminated).
 * Returns its length, or -1 when nothing arrived in time. */
static inline int recv_str_within (void *s, char *buf, size_t cap,
                                   int timeout_ms)
{
    if (!poll_in_ms (s, timeout_ms))
        return -1;
    int n = zmq_recv (s, buf, cap - 1, ZMQ_DONTWAIT);
    if (n < 0)
        FAIL ("recv after POLLIN failed: errno %d (%s)", zmq_errno (),
              zmq_strerror (zmq_errno ()));
    if (n > (int) cap - 1)
        FAIL ("recv: frame of %d bytes is larger than the %zu expected", n,
              cap - 1);
    buf[n] = 0;
    return n;
}

/* FAIL when any message arrives on s within ms. */
static inline void expect_silence (void *s, int ms)
{
    char buf[256];
    int n = recv_str_within (s, buf, sizeof buf, ms);
    if (n >= 0)
        FAIL ("unexpected message of %d bytes: '%.*s'", n, n < 60 ? n : 60,
              buf);
}

static inline void send_bytes (void *s, const void *data, size_t len, int flags)
{
    int n = zmq_send (s, data, len, flags);
    if (n != (int) len)
        FAIL ("send of %zu bytes failed: rc %d errno %d (%s)", len, n,
              zmq_errno (), zmq_strerror (zmq_errno ()));
}

/* Receive one frame (blocking, bounded by the case deadline) and check its
 * bytes and whether more frames follow. */
static inline void recv_frame_bytes_eq (void *s, const void *data, size_t len,
                                        int more)
{
    zmq_msg_t m;
    zmq_msg_init (&m);
    if (zmq_msg_recv (&m, s, 0) < 0)
        FAIL ("msg_recv failed: errno %d (%s)", zmq_errno (),
              zmq_strerror (zmq_errno ()));
    if (zmq_msg_size (&m) != len || memcmp (zmq_msg_data (&m), data, len) != 0)
        FAIL ("frame: expected %zu bytes, got %zu", len, zmq_msg_size (&m));
    if (!!zmq_msg_more (&m) != !!more)
        FAIL ("frame: more flag %d, expected %d", zmq_msg_more (&m), !!more);
    zmq_msg_close (&m);
}

/* PUB/SUB: publish `probe` until sub (subscribed to a prefix of it)
 * receives one, then discard any late copies. Makes the subscription's
 * arrival at the publisher observable without fixed sleeps. */
static inline void pubsub_settle (void *pub, void *sub, const char *probe)
{
    long long deadline = now_ms () + 5000;
    char buf[256];
    for (;;) {
        if (now_ms () > deadline)
            FAIL ("subscription did not reach the publisher within 5 s");
        send_str (pub, probe, 0);
        if (recv_str_within (sub, buf, sizeof buf, 50) >= 0)
            break;
    }
    while (recv_str_within (sub, buf, sizeof buf, 100) >= 0)
        ;
}

#endif

/* ---- Helpers for the api_/ctx_/msg_/opt_/poll_/proxy_/monitor_/util_
 * cases. -------------------------------------------------------------- */
#ifndef COMPAT_TESTUTIL_API_HELPERS
#define COMPAT_TESTUTIL_API_HELPERS
#include <pthread.h>
#include <stdint.h>

/* Start a thread running fn(arg); FAIL when it cannot be created. */
static inline pthread_t thread_start (void *(*fn) (void *), void *arg)
{
    pthread_t t;
    if (pthread_create (&t, NULL, fn, arg) != 0)
        FAIL ("pthread_create failed");
    return t;
}

/* Receive one socket-monitor event (ZMTP monitor format v1: frame 1 is six
 * bytes, uint16 event + uint32 value in host order, with MORE set; frame 2
 * the endpoint, last). Waits up to timeout_ms; returns the event number, or
 * -1 when none arrived. FAILs on a malformed event. value and endpoint may
 * be NULL; endpoint is NUL-terminated (truncated to len - 1). */
static inline int recv_monitor_event (void *mon, int timeout_ms,
                                      uint32_t *value, char *endpoint,
                                      size_t len)
{
    zmq_pollitem_t item = {mon, 0, ZMQ_POLLIN, 0};
    long long deadline = now_ms () + timeout_ms;
    for (;;) {
        long left = (long) (deadline - now_ms ());
        if (left < 0)
            left = 0;
        int rc = zmq_poll (&item, 1, left);
        if (rc < 0 && zmq_errno () == EINTR)
            continue;
        if (rc < 0)
            FAIL ("zmq_poll on monitor failed: errno %d (%s)", zmq_errno (),
                  zmq_strerror (zmq_errno ()));
        if (rc == 0)
            return -1;
        break;
    }
    zmq_msg_t m;
    zmq_msg_init (&m);
    if (zmq_msg_recv (&m, mon, ZMQ_DONTWAIT) < 0)
        FAIL ("monitor: recv of frame 1 failed: errno %d (%s)", zmq_errno (),
              zmq_strerror (zmq_errno ()));
    if (zmq_msg_size (&m) != 6)
        FAIL ("monitor: frame 1 has %zu bytes, expected 6",
              zmq_msg_size (&m));
    if (!zmq_msg_more (&m))
        FAIL ("monitor: frame 1 is not followed by an endpoint frame");
    const uint8_t *d = (const uint8_t *) zmq_msg_data (&m);
    uint16_t ev;
    uint32_t val;
    memcpy (&ev, d, 2);
    memcpy (&val, d + 2, 4);
    zmq_msg_close (&m);
    zmq_msg_init (&m);
    if (zmq_msg_recv (&m, mon, 0) < 0)
        FAIL ("monitor: recv of frame 2 failed: errno %d (%s)", zmq_errno (),
              zmq_strerror (zmq_errno ()));
    if (zmq_msg_more (&m))
        FAIL ("monitor: endpoint frame has MORE set");
    if (endpoint && len > 0) {
        size_t n = zmq_msg_size (&m) < len - 1 ? zmq_msg_size (&m) : len - 1;
        memcpy (endpoint, zmq_msg_data (&m), n);
        endpoint[n] = 0;
    }
    zmq_msg_close (&m);
    if (value)
        *value = val;
    return ev;
}

/* Skip monitor events until `event` arrives (within timeout_ms overall);
 * FAIL when it does not. Returns its value; copies the endpoint if asked. */
static inline uint32_t expect_monitor_event (void *mon, int event,
                                             int timeout_ms, char *endpoint,
                                             size_t len)
{
    long long deadline = now_ms () + timeout_ms;
    for (;;) {
        long left = (long) (deadline - now_ms ());
        uint32_t value = 0;
        int ev = recv_monitor_event (mon, left > 0 ? (int) left : 0, &value,
                                     endpoint, len);
        if (ev == event)
            return value;
        if (ev < 0)
            FAIL ("monitor event 0x%x not received within %d ms", event,
                  timeout_ms);
    }
}

/* Whether some thread of this process is named `name` (its
 * /proc/self/task/<tid>/comm, Linux), waiting up to 5 s: a thread names
 * itself once it runs. */
static inline int has_thread (const char *name)
{
    long long deadline = now_ms () + 5000;
    do {
        DIR *d = opendir ("/proc/self/task");
        CHECK (d);
        struct dirent *e;
        int found = 0;
        while (!found && (e = readdir (d))) {
            if (e->d_name[0] == '.')
                continue;
            char path[300], comm[64] = "";
            snprintf (path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
            FILE *f = fopen (path, "r");
            if (!f)
                continue;
            if (fgets (comm, sizeof comm, f))
                comm[strcspn (comm, "\n")] = 0;
            fclose (f);
            found = strcmp (comm, name) == 0;
        }
        closedir (d);
        if (found)
            return 1;
        msleep (10);
    } while (now_ms () < deadline);
    return 0;
}

#endif
