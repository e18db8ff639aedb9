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
