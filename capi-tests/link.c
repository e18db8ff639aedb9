/* link.c: a program built the way users build theirs (pkg-config libzmq, or
   -I/-L/-lzmq) links against every stable function, and the basics work:
   version, a PAIR over inproc, messages, poll, Z85, counters, timers.

   Every check runs; each failure prints one line; the exit status is the
   number of failures (capped at 100). */

#include <zmq.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            printf ("link.c:%d: failed: %s (errno %d: %s)\n", __LINE__, #cond, \
                    errno, zmq_strerror (errno));                              \
            failures++;                                                        \
        }                                                                      \
    } while (0)

typedef void (*any_fn) (void);

/* Taking every stable function's address makes the link fail, naming each
   missing symbol, when the library lacks one. */
static const any_fn every_stable_function[] = {
  (any_fn) zmq_errno,
  (any_fn) zmq_strerror,
  (any_fn) zmq_version,
  (any_fn) zmq_ctx_new,
  (any_fn) zmq_ctx_term,
  (any_fn) zmq_ctx_shutdown,
  (any_fn) zmq_ctx_set,
  (any_fn) zmq_ctx_get,
  (any_fn) zmq_init,
  (any_fn) zmq_term,
  (any_fn) zmq_ctx_destroy,
  (any_fn) zmq_msg_init,
  (any_fn) zmq_msg_init_size,
  (any_fn) zmq_msg_init_data,
  (any_fn) zmq_msg_send,
  (any_fn) zmq_msg_recv,
  (any_fn) zmq_msg_close,
  (any_fn) zmq_msg_move,
  (any_fn) zmq_msg_copy,
  (any_fn) zmq_msg_data,
  (any_fn) zmq_msg_size,
  (any_fn) zmq_msg_more,
  (any_fn) zmq_msg_get,
  (any_fn) zmq_msg_set,
  (any_fn) zmq_msg_gets,
  (any_fn) zmq_socket,
  (any_fn) zmq_close,
  (any_fn) zmq_setsockopt,
  (any_fn) zmq_getsockopt,
  (any_fn) zmq_bind,
  (any_fn) zmq_connect,
  (any_fn) zmq_unbind,
  (any_fn) zmq_disconnect,
  (any_fn) zmq_send,
  (any_fn) zmq_send_const,
  (any_fn) zmq_recv,
  (any_fn) zmq_socket_monitor,
  (any_fn) zmq_poll,
  (any_fn) zmq_proxy,
  (any_fn) zmq_proxy_steerable,
  (any_fn) zmq_has,
  (any_fn) zmq_device,
  (any_fn) zmq_sendmsg,
  (any_fn) zmq_recvmsg,
  (any_fn) zmq_sendiov,
  (any_fn) zmq_recviov,
  (any_fn) zmq_z85_encode,
  (any_fn) zmq_z85_decode,
  (any_fn) zmq_curve_keypair,
  (any_fn) zmq_curve_public,
  (any_fn) zmq_atomic_counter_new,
  (any_fn) zmq_atomic_counter_set,
  (any_fn) zmq_atomic_counter_inc,
  (any_fn) zmq_atomic_counter_dec,
  (any_fn) zmq_atomic_counter_value,
  (any_fn) zmq_atomic_counter_destroy,
  (any_fn) zmq_timers_new,
  (any_fn) zmq_timers_destroy,
  (any_fn) zmq_timers_add,
  (any_fn) zmq_timers_cancel,
  (any_fn) zmq_timers_set_interval,
  (any_fn) zmq_timers_reset,
  (any_fn) zmq_timers_timeout,
  (any_fn) zmq_timers_execute,
  (any_fn) zmq_stopwatch_start,
  (any_fn) zmq_stopwatch_intermediate,
  (any_fn) zmq_stopwatch_stop,
  (any_fn) zmq_sleep,
  (any_fn) zmq_threadstart,
  (any_fn) zmq_threadclose,
};

static void on_timer (int timer_id, void *arg)
{
    (void) timer_id;
    ++*(int *) arg;
}

static void version (void)
{
    int major = -1, minor = -1, patch = -1;
    zmq_version (&major, &minor, &patch);
    CHECK (major == ZMQ_VERSION_MAJOR);
    CHECK (minor == ZMQ_VERSION_MINOR);
    CHECK (patch == ZMQ_VERSION_PATCH);
    CHECK (ZMQ_MAKE_VERSION (major, minor, patch) == ZMQ_VERSION);
}

static void errors (void)
{
    CHECK (strcmp (zmq_strerror (EFSM),
                   "Operation cannot be accomplished in current state")
           == 0);
    CHECK (strcmp (zmq_strerror (ETERM), "Context was terminated") == 0);
    errno = 0;
    CHECK (zmq_socket (NULL, ZMQ_PAIR) == NULL);
    CHECK (zmq_errno () == EFAULT);
}

static void pair_over_inproc (void)
{
    void *ctx = zmq_ctx_new ();
    void *a, *b;
    char buf[16];
    int type = -1;
    size_t len = sizeof type;
    zmq_msg_t msg, copy;
    zmq_pollitem_t item;

    CHECK (ctx != NULL);
    CHECK (zmq_ctx_get (ctx, ZMQ_IO_THREADS) == ZMQ_IO_THREADS_DFLT);
    a = zmq_socket (ctx, ZMQ_PAIR);
    b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (a != NULL && b != NULL);
    CHECK (zmq_getsockopt (a, ZMQ_TYPE, &type, &len) == 0 && type == ZMQ_PAIR);
    CHECK (zmq_bind (a, "inproc://link") == 0);
    CHECK (zmq_connect (b, "inproc://link") == 0);

    CHECK (zmq_send (b, "hello", 5, 0) == 5);
    item.socket = a;
    item.fd = 0;
    item.events = ZMQ_POLLIN;
    item.revents = 0;
    CHECK (zmq_poll (&item, 1, 1000) == 1 && (item.revents & ZMQ_POLLIN));
    memset (buf, 0, sizeof buf);
    CHECK (zmq_recv (a, buf, sizeof buf, 0) == 5 && memcmp (buf, "hello", 5) == 0);

    CHECK (zmq_msg_init_size (&msg, 3) == 0);
    memcpy (zmq_msg_data (&msg), "abc", 3);
    CHECK (zmq_msg_init (&copy) == 0);
    CHECK (zmq_msg_copy (&copy, &msg) == 0);
    CHECK (zmq_msg_size (&copy) == 3);
    CHECK (zmq_msg_send (&msg, a, 0) == 3);
    CHECK (zmq_msg_close (&copy) == 0);
    CHECK (zmq_msg_init (&msg) == 0);
    CHECK (zmq_msg_recv (&msg, b, 0) == 3);
    CHECK (zmq_msg_size (&msg) == 3 && memcmp (zmq_msg_data (&msg), "abc", 3) == 0);
    CHECK (zmq_msg_more (&msg) == 0);
    CHECK (zmq_msg_close (&msg) == 0);

    CHECK (zmq_close (a) == 0);
    CHECK (zmq_close (b) == 0);
    CHECK (zmq_ctx_term (ctx) == 0);
}

static void z85 (void)
{
    /* The test vector of the Z85 specification (ZeroMQ RFC 32). */
    const uint8_t data[8] = {0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B};
    char text[11];
    uint8_t back[8];
    CHECK (zmq_z85_encode (text, data, 8) == text);
    CHECK (strcmp (text, "HelloWorld") == 0);
    CHECK (zmq_z85_decode (back, "HelloWorld") == back);
    CHECK (memcmp (back, data, 8) == 0);
}

static void counters_and_timers (void)
{
    void *counter = zmq_atomic_counter_new ();
    void *timers = zmq_timers_new ();
    void *watch = zmq_stopwatch_start ();
    int fired = 0;
    int id;

    CHECK (counter != NULL);
    zmq_atomic_counter_set (counter, 5);
    CHECK (zmq_atomic_counter_inc (counter) == 5);
    CHECK (zmq_atomic_counter_dec (counter) == 1);
    CHECK (zmq_atomic_counter_value (counter) == 5);
    zmq_atomic_counter_destroy (&counter);
    CHECK (counter == NULL);

    CHECK (timers != NULL);
    id = zmq_timers_add (timers, 1, on_timer, &fired);
    CHECK (id >= 0);
    zmq_sleep (0);
    CHECK (zmq_timers_timeout (timers) >= 0);
    while (zmq_timers_timeout (timers) > 0)
        ;
    CHECK (zmq_timers_execute (timers) == 0 && fired == 1);
    CHECK (zmq_timers_cancel (timers, id) == 0);
    CHECK (zmq_timers_destroy (&timers) == 0 && timers == NULL);

    CHECK (watch != NULL);
    (void) zmq_stopwatch_stop (watch);
}

int main (void)
{
    setvbuf (stdout, NULL, _IONBF, 0);
    CHECK (sizeof every_stable_function / sizeof every_stable_function[0] == 70);
    version ();
    errors ();
    pair_over_inproc ();
    z85 ();
    counters_and_timers ();
    return failures > 100 ? 100 : failures;
}
