/* messages.c: zmq_msg_t moved and copied with memcpy.

   Bindings move a zmq_msg_t bitwise and never touch the source again (or
   re-initialise it): cppzmq's message_t move constructor and swap, every
   Rust move of rust-zmq's Message, a struct returned by value. Those moves
   must work on any libzmq, at any address, even an unaligned one (zmq-sys
   declares zmq_msg_t as 64 bytes of alignment 1).

   Reading a bitwise copy works in libzmq too (a function reading a message
   passed by value), and so do copies of a small message (libzmq stores it
   inside the zmq_msg_t and closing it releases nothing): pyzmq's monitored
   queue passes empty messages by value, receives into the copies and uses
   the originals again.

   Consuming (closing, sending, receiving into) two bitwise copies of one
   live message that owns memory is a C bug; libzmq then frees the content
   twice. Monocoque detects it: the copy consumed first becomes the message,
   every other copy is refused with EFAULT, and the content is released
   exactly once. Those checks are compiled only with -DMONOCOQUE_ONLY
   (capi-tests/run passes it when testing Monocoque).

   Every check runs; each failure prints one line; the exit status is the
   number of failures (capped at 100). A crash prints the check it was in. */

#include <zmq.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;
static const char *current = "startup";

static void on_crash (int sig)
{
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

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            printf ("messages.c:%d: in %s: failed: %s (errno %d: %s)\n",       \
                    __LINE__, current, #cond, errno, zmq_strerror (errno));    \
            failures++;                                                        \
        }                                                                      \
    } while (0)

/* A call that must fail with EFAULT. */
#define FAULTS(call)                                                           \
    do {                                                                       \
        long rc_;                                                              \
        errno = 0;                                                             \
        rc_ = (long) (call);                                                   \
        if (rc_ != -1 || errno != EFAULT) {                                    \
            printf ("messages.c:%d: in %s: %s returned %ld, errno %d; want "  \
                    "-1, EFAULT\n",                                            \
                    __LINE__, current, #call, rc_, errno);                     \
            failures++;                                                        \
        }                                                                      \
    } while (0)

static const char big[] = "a body too large to be stored inside the zmq_msg_t "
                          "itself, so it lives on the heap and is refcounted";

static int frees;
static void count_free (void *data, void *hint)
{
    (void) hint;
    frees++;
    free (data);
}

/* A message over a malloc'ed buffer whose release is counted. */
static void init_counted (zmq_msg_t *m)
{
    char *data = malloc (sizeof big);
    memcpy (data, big, sizeof big);
    CHECK (zmq_msg_init_data (m, data, sizeof big, count_free, NULL) == 0);
}

static void init_big (zmq_msg_t *m)
{
    CHECK (zmq_msg_init_size (m, sizeof big) == 0);
    memcpy (zmq_msg_data (m), big, sizeof big);
}

static int is_big (zmq_msg_t *m)
{
    return zmq_msg_size (m) == sizeof big
           && memcmp (zmq_msg_data (m), big, sizeof big) == 0;
}

static int is_text (zmq_msg_t *m, const char *s)
{
    return zmq_msg_size (m) == strlen (s)
           && memcmp (zmq_msg_data (m), s, strlen (s)) == 0;
}

static void *ctx, *left, *right;

/* `m` crosses the PAIR and arrives intact in `into`. */
static void round_trip (zmq_msg_t *m, zmq_msg_t *into)
{
    size_t n = zmq_msg_size (m);
    CHECK (zmq_msg_send (m, left, 0) == (int) n);
    CHECK (zmq_msg_size (m) == 0);
    CHECK (zmq_msg_recv (into, right, 0) == (int) n);
}

/* ---------------------------------------------------- moves (any libzmq) */

static void move_then_reinit_source (void)
{
    /* cppzmq: message_t (message_t &&rhs) : msg (rhs.msg)
                  { zmq_msg_init (&rhs.msg); } */
    zmq_msg_t a, b;
    current = "memcpy move, source re-initialised";
    init_big (&a);
    memcpy (&b, &a, sizeof b);
    CHECK (zmq_msg_init (&a) == 0);
    CHECK (is_big (&b));
    CHECK (zmq_msg_size (&a) == 0);
    CHECK (zmq_msg_close (&b) == 0);
    CHECK (zmq_msg_close (&a) == 0);
}

static void move_from_freed_storage (void)
{
    /* Rust: a Vec<Message> grows, its messages are copied and the old
       buffer freed. */
    zmq_msg_t *old = malloc (sizeof *old), *new_ = malloc (sizeof *new_);
    zmq_msg_t got;
    current = "memcpy move out of freed storage";
    init_big (old);
    memcpy (new_, old, sizeof *new_);
    memset (old, 0xa5, sizeof *old);
    free (old);
    CHECK (is_big (new_));
    CHECK (zmq_msg_init (&got) == 0);
    round_trip (new_, &got);
    CHECK (is_big (&got));
    CHECK (zmq_msg_close (&got) == 0);
    CHECK (zmq_msg_close (new_) == 0);
    free (new_);
}

static void swap_through_a_temporary (void)
{
    /* cppzmq: message_t::swap and move assignment are std::swap (msg,
       other.msg): three memcpys through a temporary. */
    zmq_msg_t a, b, tmp;
    current = "std::swap of two messages";
    init_big (&a);
    CHECK (zmq_msg_init_size (&b, 5) == 0);
    memcpy (zmq_msg_data (&b), "small", 5);
    memcpy (&tmp, &a, sizeof tmp);
    memcpy (&a, &b, sizeof a);
    memcpy (&b, &tmp, sizeof b);
    CHECK (is_text (&a, "small"));
    CHECK (is_big (&b));
    /* And back again. */
    memcpy (&tmp, &a, sizeof tmp);
    memcpy (&a, &b, sizeof a);
    memcpy (&b, &tmp, sizeof b);
    CHECK (is_big (&a));
    CHECK (is_text (&b, "small"));
    CHECK (zmq_msg_close (&a) == 0);
    CHECK (zmq_msg_close (&b) == 0);
}

static void chain_of_moves (void)
{
    zmq_msg_t m[6];
    int i;
    current = "a chain of memcpy moves, each copy used";
    frees = 0;
    init_counted (&m[0]);
    for (i = 1; i < 6; i++) {
        memcpy (&m[i], &m[i - 1], sizeof m[i]);
        CHECK (is_big (&m[i]));
    }
    CHECK (zmq_msg_close (&m[5]) == 0);
    CHECK (frees == 1);
}

static void moved_received_message_keeps_its_properties (void)
{
    void *server = zmq_socket (ctx, ZMQ_PAIR), *client = zmq_socket (ctx, ZMQ_PAIR);
    char endpoint[64];
    size_t len = sizeof endpoint;
    zmq_msg_t a, b;
    const char *type;
    current = "memcpy move of a message received over tcp";
    CHECK (zmq_bind (server, "tcp://127.0.0.1:*") == 0);
    CHECK (zmq_getsockopt (server, ZMQ_LAST_ENDPOINT, endpoint, &len) == 0);
    CHECK (zmq_connect (client, endpoint) == 0);
    CHECK (zmq_send (client, big, sizeof big, 0) == (int) sizeof big);
    CHECK (zmq_msg_init (&a) == 0);
    CHECK (zmq_msg_recv (&a, server, 0) == (int) sizeof big);
    memcpy (&b, &a, sizeof b);
    memset (&a, 0, sizeof a);
    CHECK (is_big (&b));
    type = zmq_msg_gets (&b, "Socket-Type");
    CHECK (type && strcmp (type, "PAIR") == 0);
    CHECK (zmq_msg_close (&b) == 0);
    zmq_close (client);
    zmq_close (server);
}

/* A receive that gets nothing (EAGAIN) leaves an empty message, as
   libzmq's pipes close the message before reading; each receive into it
   carries the properties of the connection its frame came from. */
static void failed_receive_empties_the_message (void)
{
    void *pair_s = zmq_socket (ctx, ZMQ_PAIR), *pair_c = zmq_socket (ctx, ZMQ_PAIR);
    void *pull = zmq_socket (ctx, ZMQ_PULL), *push = zmq_socket (ctx, ZMQ_PUSH);
    char endpoint[64];
    size_t len;
    zmq_msg_t a;
    const char *type;
    current = "failed receive empties the message";
    len = sizeof endpoint;
    CHECK (zmq_bind (pair_s, "tcp://127.0.0.1:*") == 0);
    CHECK (zmq_getsockopt (pair_s, ZMQ_LAST_ENDPOINT, endpoint, &len) == 0);
    CHECK (zmq_connect (pair_c, endpoint) == 0);
    len = sizeof endpoint;
    CHECK (zmq_bind (pull, "tcp://127.0.0.1:*") == 0);
    CHECK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, endpoint, &len) == 0);
    CHECK (zmq_connect (push, endpoint) == 0);

    CHECK (zmq_send (pair_c, big, sizeof big, 0) == (int) sizeof big);
    CHECK (zmq_msg_init (&a) == 0);
    CHECK (zmq_msg_recv (&a, pair_s, 0) == (int) sizeof big);
    type = zmq_msg_gets (&a, "Socket-Type");
    CHECK (type && strcmp (type, "PAIR") == 0);
    errno = 0;
    CHECK (zmq_msg_recv (&a, pair_s, ZMQ_DONTWAIT) == -1 && errno == EAGAIN);
    CHECK (zmq_msg_size (&a) == 0);
    CHECK (zmq_msg_gets (&a, "Socket-Type") == NULL);

    /* The next frame on the same connection has the same properties. */
    CHECK (zmq_send (pair_c, "hi", 2, 0) == 2);
    CHECK (zmq_msg_recv (&a, pair_s, 0) == 2);
    CHECK (is_text (&a, "hi"));
    type = zmq_msg_gets (&a, "Socket-Type");
    CHECK (type && strcmp (type, "PAIR") == 0);

    /* A frame from another connection has that connection's. */
    CHECK (zmq_send (push, big, sizeof big, 0) == (int) sizeof big);
    CHECK (zmq_msg_recv (&a, pull, 0) == (int) sizeof big);
    CHECK (is_big (&a));
    type = zmq_msg_gets (&a, "Socket-Type");
    CHECK (type && strcmp (type, "PUSH") == 0);
    errno = 0;
    CHECK (zmq_msg_recv (&a, pull, ZMQ_DONTWAIT) == -1 && errno == EAGAIN);
    CHECK (zmq_msg_size (&a) == 0);
    CHECK (zmq_msg_close (&a) == 0);
    zmq_close (push);
    zmq_close (pull);
    zmq_close (pair_c);
    zmq_close (pair_s);
}

static void unaligned_storage (void)
{
    /* 8-aligned storage + 1: every libzmq call on a misaligned zmq_msg_t. */
    static union {
        double align;
        unsigned char bytes[3 * sizeof (zmq_msg_t) + 8];
    } store;
    zmq_msg_t *a = (zmq_msg_t *) (store.bytes + 1);
    zmq_msg_t *b = (zmq_msg_t *) (store.bytes + sizeof (zmq_msg_t) + 3);
    zmq_msg_t *c = (zmq_msg_t *) (store.bytes + 2 * sizeof (zmq_msg_t) + 5);
    current = "zmq_msg_t at unaligned addresses";
    CHECK (zmq_msg_init_size (a, 5) == 0);
    memcpy (zmq_msg_data (a), "small", 5);
    CHECK (is_text (a, "small"));
    CHECK (zmq_msg_init (b) == 0);
    CHECK (zmq_msg_copy (b, a) == 0);
    CHECK (is_text (b, "small"));
    CHECK (zmq_msg_init (c) == 0);
    round_trip (a, c);
    CHECK (is_text (c, "small"));
    CHECK (zmq_msg_close (c) == 0);
    init_big (c);
    CHECK (zmq_msg_move (a, c) == 0);
    CHECK (is_big (a));
    CHECK (zmq_msg_more (a) == 0);
    CHECK (zmq_msg_get (a, ZMQ_MORE) == 0);
    CHECK (zmq_msg_close (a) == 0);
    CHECK (zmq_msg_close (b) == 0);
    CHECK (zmq_msg_close (c) == 0);
}

/* Reads a message passed by value. */
static size_t size_by_value (zmq_msg_t m)
{
    return zmq_msg_size (&m);
}

static void read_a_copy_then_close_the_original (void)
{
    zmq_msg_t a;
    current = "a copy passed by value and read, the original closed";
    frees = 0;
    init_counted (&a);
    CHECK (size_by_value (a) == sizeof big);
    CHECK (is_big (&a));
    CHECK (zmq_msg_close (&a) == 0);
    CHECK (frees == 1);
}

/* pyzmq's monitored queue: messages passed by value, received into and
   sent from the copies; the caller's (empty) originals used again. */
static int relay_by_value (zmq_msg_t msg, zmq_msg_t side)
{
    if (zmq_msg_recv (&msg, right, 0) < 0 || zmq_msg_copy (&side, &msg) != 0
        || zmq_msg_send (&side, right, 0) < 0)
        return -1;
    return zmq_msg_close (&msg);
}

static void small_messages_are_values (void)
{
    zmq_msg_t msg, side, got;
    int i;
    current = "empty messages passed by value and used (monitored queue)";
    CHECK (zmq_msg_init (&msg) == 0);
    CHECK (zmq_msg_init (&side) == 0);
    CHECK (zmq_msg_init (&got) == 0);
    for (i = 0; i < 3; i++) {
        CHECK (zmq_send (left, big, i == 1 ? 5 : sizeof big, 0) >= 0);
        CHECK (relay_by_value (msg, side) == 0);
        CHECK (zmq_msg_recv (&got, left, 0) == (i == 1 ? 5 : (int) sizeof big));
    }
    CHECK (zmq_msg_close (&got) == 0);
    CHECK (zmq_msg_close (&msg) == 0);
    CHECK (zmq_msg_close (&side) == 0);

    current = "two copies of a small message, both closed";
    CHECK (zmq_msg_init_size (&msg, 5) == 0);
    memcpy (zmq_msg_data (&msg), "small", 5);
    memcpy (&side, &msg, sizeof side);
    CHECK (zmq_msg_close (&msg) == 0);
    CHECK (is_text (&side, "small"));
    CHECK (zmq_msg_close (&side) == 0);
}

/* ------------------------------------ copies of live messages (ours only) */

#ifdef MONOCOQUE_ONLY
static void copy_closed_twice (void)
{
    zmq_msg_t a, b;
    current = "two copies closed";
    frees = 0;
    init_counted (&a);
    memcpy (&b, &a, sizeof b);
    CHECK (zmq_msg_close (&a) == 0);
    FAULTS (zmq_msg_close (&b));
    FAULTS (zmq_msg_size (&b) == 0 ? -1 : 0);
    CHECK (frees == 1);

    current = "two copies closed, the copy first";
    frees = 0;
    init_counted (&a);
    memcpy (&b, &a, sizeof b);
    CHECK (zmq_msg_close (&b) == 0);
    FAULTS (zmq_msg_close (&a));
    CHECK (frees == 1);
}

static void both_copies_used (void)
{
    zmq_msg_t a, b, got;
    current = "both copies used";
    frees = 0;
    init_counted (&a);
    memcpy (&b, &a, sizeof b);
    CHECK (is_big (&a)); /* the original, at home */
    CHECK (zmq_msg_init (&got) == 0);
    round_trip (&b, &got); /* the copy is used: it becomes the message */
    CHECK (is_big (&got));
    FAULTS (zmq_msg_send (&a, left, 0));
    FAULTS (zmq_msg_copy (&got, &a));
    FAULTS (zmq_msg_move (&got, &a));
    CHECK (zmq_msg_data (&a) == NULL && errno == EFAULT);
    FAULTS (zmq_msg_close (&a));
    CHECK (zmq_msg_close (&b) == 0); /* an empty message after the send */
    CHECK (frees == 0);
    CHECK (zmq_msg_close (&got) == 0);
    CHECK (frees == 1);
}

static void copy_of_a_closed_message (void)
{
    zmq_msg_t a, b;
    current = "copy of a closed message";
    init_big (&a);
    CHECK (zmq_msg_close (&a) == 0);
    memcpy (&b, &a, sizeof b);
    FAULTS (zmq_msg_close (&b));
    FAULTS (zmq_msg_close (&a));
}

static void stale_copy_after_a_move (void)
{
    /* a -> b (consumed there), then the stale bytes still in `a` copied
       on. */
    zmq_msg_t a, b, c, got;
    current = "stale copy after a move";
    frees = 0;
    init_counted (&a);
    memcpy (&b, &a, sizeof b);
    CHECK (zmq_msg_init (&got) == 0);
    round_trip (&b, &got);
    memcpy (&c, &a, sizeof c);
    FAULTS (zmq_msg_close (&c));
    FAULTS (zmq_msg_close (&a));
    CHECK (zmq_msg_close (&b) == 0);
    CHECK (frees == 0);
    CHECK (zmq_msg_close (&got) == 0);
    CHECK (frees == 1);

    /* Reading a copy claims nothing: the original stays the message. */
    current = "a copy read, then both closed";
    frees = 0;
    init_counted (&a);
    memcpy (&b, &a, sizeof b);
    CHECK (is_big (&b));
    CHECK (zmq_msg_close (&a) == 0);
    FAULTS (zmq_msg_size (&b) == 0 ? -1 : 0);
    FAULTS (zmq_msg_close (&b));
    CHECK (frees == 1);
}

static void copy_as_destination (void)
{
    /* zmq_msg_copy / zmq_msg_recv into a bitwise copy of the source: the
       destination's old content (the same message) is released once. */
    zmq_msg_t a, b;
    current = "zmq_msg_copy into a bitwise copy of the source";
    frees = 0;
    init_counted (&a);
    memcpy (&b, &a, sizeof b);
    CHECK (zmq_msg_copy (&b, &a) == 0 || errno == EFAULT);
    zmq_msg_close (&a);
    zmq_msg_close (&b);
    CHECK (frees == 1);

    current = "zmq_msg_recv into a bitwise copy";
    frees = 0;
    init_counted (&a);
    memcpy (&b, &a, sizeof b);
    CHECK (zmq_send (left, "x", 1, 0) == 1);
    CHECK (zmq_msg_recv (&b, right, 0) == 1);
    CHECK (frees == 1);
    FAULTS (zmq_msg_close (&a));
    CHECK (zmq_msg_close (&b) == 0);
    CHECK (frees == 1);
}

static void forged_messages (void)
{
    zmq_msg_t m;
    current = "zeroed and garbage zmq_msg_t";
    memset (&m, 0, sizeof m);
    FAULTS (zmq_msg_close (&m));
    FAULTS (zmq_msg_send (&m, left, 0));
    memset (&m, 0xff, sizeof m);
    FAULTS (zmq_msg_close (&m));
    FAULTS (zmq_msg_more (&m));
    FAULTS (zmq_msg_recv (&m, right, ZMQ_DONTWAIT));
    FAULTS (zmq_msg_close (NULL));
}
#endif

int main (void)
{
    signal (SIGSEGV, on_crash);
    signal (SIGBUS, on_crash);
    signal (SIGABRT, on_crash);
    setvbuf (stdout, NULL, _IONBF, 0);

    ctx = zmq_ctx_new ();
    left = zmq_socket (ctx, ZMQ_PAIR);
    right = zmq_socket (ctx, ZMQ_PAIR);
    if (!ctx || !left || !right || zmq_bind (left, "inproc://messages") != 0
        || zmq_connect (right, "inproc://messages") != 0) {
        printf ("messages.c: setup failed: %s\n", zmq_strerror (errno));
        return 100;
    }

    move_then_reinit_source ();
    move_from_freed_storage ();
    swap_through_a_temporary ();
    chain_of_moves ();
    moved_received_message_keeps_its_properties ();
    failed_receive_empties_the_message ();
    unaligned_storage ();
    read_a_copy_then_close_the_original ();
    small_messages_are_values ();
#ifdef MONOCOQUE_ONLY
    copy_closed_twice ();
    both_copies_used ();
    copy_of_a_closed_message ();
    stale_copy_after_a_move ();
    copy_as_destination ();
    forged_messages ();
#endif

    current = "teardown";
    zmq_close (left);
    zmq_close (right);
    zmq_ctx_term (ctx);
    return failures > 100 ? 100 : failures;
}
