/* handles.c: NULL, stale, mistyped and forged handles give errors, never a
   crash.

   libzmq checks a tag inside the object a handle points to, so on it a
   closed socket or a terminated context is detected only while the freed
   memory still holds the dead tag; Monocoque's handles are (slot, epoch)
   tokens and must detect every one. Forged handles (random bits) would make
   libzmq read wild memory, so those checks are compiled only with
   -DMONOCOQUE_ONLY, which capi-tests/run passes when testing Monocoque.

   Every check runs; each failure prints one line; the exit status is the
   number of failures (capped at 100). A crash prints the check it was in. */

#include <zmq.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static int failures;
static const char *current = "startup";

static void on_crash (int sig)
{
    /* Only async-signal-safe calls here. */
    const char *what = sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS"
                     : sig == SIGABRT ? "SIGABRT"
                                      : "signal";
    ssize_t rc;
    rc = write (1, "crashed (", 9);
    rc = write (1, what, strlen (what));
    rc = write (1, ") in ", 5);
    rc = write (1, current, strlen (current));
    rc = write (1, "\n", 1);
    (void) rc;
    _exit (100);
}

static void fail (int line, const char *call, long rc, int err, const char *want)
{
    printf ("handles.c:%d: %s returned %ld, errno %d (%s); want %s\n", line,
            call, rc, err, err ? zmq_strerror (err) : "none", want);
    failures++;
}

/* An int-returning call must give -1 with errno `err`. */
#define ERR(call, err)                                                         \
    do {                                                                       \
        int rc_, e_;                                                           \
        current = #call;                                                       \
        errno = 0;                                                             \
        rc_ = (call);                                                          \
        e_ = errno;                                                            \
        if (rc_ != -1 || e_ != (err))                                          \
            fail (__LINE__, #call, rc_, e_, "-1, " #err);                      \
    } while (0)

/* A pointer-returning call must give NULL with errno `err`. */
#define NUL(call, err)                                                         \
    do {                                                                       \
        void *p_;                                                              \
        int e_;                                                                \
        current = #call;                                                       \
        errno = 0;                                                             \
        p_ = (call);                                                           \
        e_ = errno;                                                            \
        if (p_ != NULL || e_ != (err))                                         \
            fail (__LINE__, #call, p_ ? 1 : 0, e_, "NULL, " #err);             \
    } while (0)

/* An int-returning call must give -1 with either of two errnos (forged
   handles: which kind of object they fail to be is not specified). */
#define ERR2(call, err1, err2)                                                 \
    do {                                                                       \
        int rc_, e_;                                                           \
        current = #call;                                                       \
        errno = 0;                                                             \
        rc_ = (call);                                                          \
        e_ = errno;                                                            \
        if (rc_ != -1 || (e_ != (err1) && e_ != (err2)))                       \
            fail (__LINE__, #call, rc_, e_, "-1, " #err1 " or " #err2);        \
    } while (0)

/* A call that must succeed (setting up the checks). */
#define OK(call)                                                               \
    do {                                                                       \
        current = #call;                                                       \
        if ((call) == -1) {                                                    \
            fail (__LINE__, #call, -1, errno, "success");                      \
            exit (1);                                                          \
        }                                                                      \
    } while (0)

static void *new_ctx (void)
{
    void *ctx;
    current = "zmq_ctx_new ()";
    ctx = zmq_ctx_new ();
    if (!ctx) {
        fail (__LINE__, "zmq_ctx_new ()", 0, errno, "a context");
        exit (1);
    }
    return ctx;
}

static void *new_socket (void *ctx, int type)
{
    void *s;
    current = "zmq_socket (ctx, type)";
    s = zmq_socket (ctx, type);
    if (!s) {
        fail (__LINE__, "zmq_socket (ctx, type)", 0, errno, "a socket");
        exit (1);
    }
    return s;
}

/* Every socket call on `s` fails with ENOTSOCK. */
static void socket_calls_fail (void *s, const char *label)
{
    char buf[8];
    int opt = 0;
    size_t optlen = sizeof opt;
    size_t count = 1;
    struct iovec iov;
    zmq_msg_t msg;
    zmq_pollitem_t item;

    iov.iov_base = buf;
    iov.iov_len = sizeof buf;
    current = label;

    ERR (zmq_send (s, "x", 1, ZMQ_DONTWAIT), ENOTSOCK);
    ERR (zmq_send_const (s, "x", 1, ZMQ_DONTWAIT), ENOTSOCK);
    ERR (zmq_recv (s, buf, sizeof buf, ZMQ_DONTWAIT), ENOTSOCK);
    ERR (zmq_setsockopt (s, ZMQ_LINGER, &opt, sizeof opt), ENOTSOCK);
    ERR (zmq_getsockopt (s, ZMQ_TYPE, &opt, &optlen), ENOTSOCK);
    ERR (zmq_bind (s, "inproc://handles-bind"), ENOTSOCK);
    ERR (zmq_connect (s, "inproc://handles-connect"), ENOTSOCK);
    ERR (zmq_unbind (s, "inproc://handles-bind"), ENOTSOCK);
    ERR (zmq_disconnect (s, "inproc://handles-connect"), ENOTSOCK);
    ERR (zmq_socket_monitor (s, "inproc://handles-monitor", ZMQ_EVENT_ALL),
         ENOTSOCK);
    ERR (zmq_sendiov (s, &iov, 1, ZMQ_DONTWAIT), ENOTSOCK);
    ERR (zmq_recviov (s, &iov, &count, ZMQ_DONTWAIT), ENOTSOCK);

    OK (zmq_msg_init_size (&msg, 1));
    ERR (zmq_msg_send (&msg, s, ZMQ_DONTWAIT), ENOTSOCK);
    ERR (zmq_sendmsg (s, &msg, ZMQ_DONTWAIT), ENOTSOCK);
    ERR (zmq_msg_recv (&msg, s, ZMQ_DONTWAIT), ENOTSOCK);
    ERR (zmq_recvmsg (s, &msg, ZMQ_DONTWAIT), ENOTSOCK);
    OK (zmq_msg_close (&msg));

    /* A NULL socket in a poll item means "poll fd instead": not an error. */
    if (s) {
        item.socket = s;
        item.fd = -1;
        item.events = ZMQ_POLLIN;
        item.revents = 0;
        ERR (zmq_poll (&item, 1, 0), ENOTSOCK);
    }

    ERR (zmq_close (s), ENOTSOCK);
}

/* Every context call on `c` fails with EFAULT. */
static void context_calls_fail (void *c, const char *label)
{
    current = label;
    NUL (zmq_socket (c, ZMQ_PAIR), EFAULT);
    ERR (zmq_ctx_get (c, ZMQ_IO_THREADS), EFAULT);
    ERR (zmq_ctx_set (c, ZMQ_IO_THREADS, 1), EFAULT);
    ERR (zmq_ctx_shutdown (c), EFAULT);
    ERR (zmq_ctx_term (c), EFAULT);
    ERR (zmq_term (c), EFAULT);
    ERR (zmq_ctx_destroy (c), EFAULT);
}

static void null_handles (void)
{
    zmq_pollitem_t *no_items = NULL;

    socket_calls_fail (NULL, "NULL socket");
    context_calls_fail (NULL, "NULL context");
    ERR (zmq_proxy (NULL, NULL, NULL), EFAULT);
    ERR (zmq_proxy_steerable (NULL, NULL, NULL, NULL), EFAULT);
    ERR (zmq_poll (no_items, 1, 0), EFAULT);
    ERR (zmq_timers_cancel (NULL, 1), EFAULT);
    ERR (zmq_timers_reset (NULL, 1), EFAULT);
    ERR (zmq_timers_set_interval (NULL, 1, 10), EFAULT);
    ERR ((int) zmq_timers_timeout (NULL), EFAULT);
    ERR (zmq_timers_execute (NULL), EFAULT);
    {
        void *no_timers = NULL;
        ERR (zmq_timers_destroy (&no_timers), EFAULT);
    }
}

static void closed_socket (void)
{
    void *ctx = new_ctx ();
    void *s = new_socket (ctx, ZMQ_PAIR);
    OK (zmq_close (s));
    socket_calls_fail (s, "closed socket");
    /* A socket opened since must not answer to the old handle. */
    {
        void *t = new_socket (ctx, ZMQ_PAIR);
        if (t != s)
            socket_calls_fail (s, "closed socket, after a new one");
        OK (zmq_close (t));
    }
    OK (zmq_ctx_term (ctx));
}

static void terminated_context (void)
{
    void *ctx = new_ctx ();
    OK (zmq_ctx_term (ctx));
    context_calls_fail (ctx, "terminated context");
}

static void mistyped_handles (void)
{
    void *ctx = new_ctx ();
    void *s = new_socket (ctx, ZMQ_PAIR);
    int value;

    context_calls_fail (s, "socket passed as a context");
    /* The socket survived all that. */
    current = "socket after use as a context";
    value = ZMQ_PAIR + 100;
    {
        size_t len = sizeof value;
        OK (zmq_getsockopt (s, ZMQ_TYPE, &value, &len));
        if (value != ZMQ_PAIR)
            fail (__LINE__, "zmq_getsockopt (s, ZMQ_TYPE)", value, 0,
                  "ZMQ_PAIR");
    }

    /* zmq_close (ctx) and friends; the context must survive too. */
    {
        char buf[8];
        int opt = 0;
        ERR (zmq_send (ctx, "x", 1, ZMQ_DONTWAIT), ENOTSOCK);
        ERR (zmq_recv (ctx, buf, sizeof buf, ZMQ_DONTWAIT), ENOTSOCK);
        ERR (zmq_setsockopt (ctx, ZMQ_LINGER, &opt, sizeof opt), ENOTSOCK);
        ERR (zmq_bind (ctx, "inproc://handles-mistyped"), ENOTSOCK);
        ERR (zmq_close (ctx), ENOTSOCK);
    }
    current = "context after use as a socket";
    if (zmq_ctx_get (ctx, ZMQ_IO_THREADS) != ZMQ_IO_THREADS_DFLT)
        fail (__LINE__, "zmq_ctx_get (ctx, ZMQ_IO_THREADS)",
              zmq_ctx_get (ctx, ZMQ_IO_THREADS), errno, "ZMQ_IO_THREADS_DFLT");

    OK (zmq_close (s));
    OK (zmq_ctx_term (ctx));
}

#ifdef MONOCOQUE_ONLY
/* Handles no library call ever returned. */
static void forged_handles (void)
{
    static unsigned char zeros[256];
    static unsigned char ones[256];
    int on_stack = 0;
    void *ctx = new_ctx ();
    void *s = new_socket (ctx, ZMQ_PAIR);
    void *forged[8];
    size_t i;

    memset (ones, 0xff, sizeof ones);
    forged[0] = (void *) 0x1234;
    forged[1] = (void *) 1;
    forged[2] = (void *) ~(size_t) 0;
    forged[3] = &on_stack;
    forged[4] = zeros;
    forged[5] = ones;
    forged[6] = (char *) s + 1;
    forged[7] = (char *) ctx + 1;

    for (i = 0; i < sizeof forged / sizeof forged[0]; i++) {
        void *f = forged[i];
        socket_calls_fail (f, "forged socket handle");
        context_calls_fail (f, "forged context handle");
        ERR2 (zmq_proxy (f, f, NULL), EFAULT, ENOTSOCK);
        ERR2 (zmq_proxy (s, f, NULL), EFAULT, ENOTSOCK);
        ERR2 (zmq_timers_cancel (f, 1), EFAULT, EINVAL);
        ERR2 (zmq_timers_execute (f), EFAULT, EINVAL);
    }

    /* The real handles still work. */
    current = "real handles after forged ones";
    {
        int value = -1;
        size_t len = sizeof value;
        OK (zmq_getsockopt (s, ZMQ_TYPE, &value, &len));
    }
    OK (zmq_close (s));
    OK (zmq_ctx_term (ctx));

    /* And once closed, the twice-used handles are stale, not reused. */
    socket_calls_fail (s, "closed socket after forged handles");
    context_calls_fail (ctx, "terminated context after forged handles");
}

/* More close/open cycles than a slot has epochs (2^22): a slot is retired
   before its epoch wraps, so the first, long-closed handle never names a
   later socket (with 18-bit epochs it named the 262,144th). Monocoque only:
   libzmq's handles are pointers, and malloc hands the same one back. */
#define CHURN_CYCLES ((1L << 22) + 64)

static void churned_slot (void)
{
    void *ctx = new_ctx ();
    void *first = new_socket (ctx, ZMQ_PAIR);
    long i;
    int type;
    size_t len;

    OK (zmq_close (first));
    current = "socket churn past the epoch width";
    for (i = 0; i < CHURN_CYCLES; i++) {
        void *s = zmq_socket (ctx, ZMQ_PAIR);
        if (!s) {
            fail (__LINE__, "zmq_socket (ctx, ZMQ_PAIR) in the churn", 0, errno,
                  "a socket");
            break;
        }
        len = sizeof type;
        if (s == first || zmq_getsockopt (first, ZMQ_TYPE, &type, &len) != -1
            || errno != ENOTSOCK) {
            printf ("handles.c:%d: cycle %ld: the closed first socket's handle "
                    "is live again (new handle %p, first %p)\n",
                    __LINE__, i, s, first);
            failures++;
            zmq_close (s);
            break;
        }
        OK (zmq_close (s));
    }
    socket_calls_fail (first, "closed socket after the churn");
    OK (zmq_ctx_term (ctx));

    /* Atomic counters live in a table of their own: the same holds there. */
    current = "counter churn past the epoch width";
    {
        void *c = zmq_atomic_counter_new ();
        void *stale = c;
        zmq_atomic_counter_destroy (&c);
        for (i = 0; i < CHURN_CYCLES; i++) {
            c = zmq_atomic_counter_new ();
            if (!c || c == stale) {
                printf ("handles.c:%d: cycle %ld: counter handle %p%s\n",
                        __LINE__, i, c, c ? " handed out again" : " not made");
                failures++;
                break;
            }
            zmq_atomic_counter_destroy (&c);
        }
        errno = 0;
        if (zmq_atomic_counter_value (stale) != -1 || errno != EFAULT) {
            printf ("handles.c:%d: the destroyed counter answers after the "
                    "churn (errno %d)\n", __LINE__, errno);
            failures++;
        }
    }
}
#endif

int main (void)
{
    signal (SIGSEGV, on_crash);
    signal (SIGBUS, on_crash);
    signal (SIGABRT, on_crash);
    setvbuf (stdout, NULL, _IONBF, 0);

    null_handles ();
    closed_socket ();
    terminated_context ();
    mistyped_handles ();
#ifdef MONOCOQUE_ONLY
    forged_handles ();
    churned_slot ();
#endif
    return failures > 100 ? 100 : failures;
}
