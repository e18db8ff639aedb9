/* behaviour: DGRAM over udp: a message is two frames, the peer's "ip:port" (NUL-terminated) then the body; a reply goes to the address received; sending a body first or two address frames is EINVAL; DGRAM is not thread-safe and only binds */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass: zmq-compat-suite/run /tmp/lzd/build/lib 'draft_*') and skipped on
 * Debian's stable libzmq 4.3.4. */
#include "draftutil.h"

static void recv_addr_body (void *s, char *addr, size_t cap, const char *body)
{
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    int n = zmq_msg_recv (&m, s, 0);
    if (n < 0)
        FAIL ("recv: errno %d (%s)", zmq_errno (), zmq_strerror (zmq_errno ()));
    CHECK (zmq_msg_more (&m));
    CHECK (n > 0 && (size_t) n < cap);
    memcpy (addr, zmq_msg_data (&m), n);
    /* libzmq counts the terminating NUL in the frame. */
    CHECK_EQ_INT (addr[n - 1], 0);
    CHECK_EQ_INT ((int) strlen (addr), n - 1);
    zmq_msg_close (&m);
    recv_frame_bytes_eq (s, body, strlen (body), 0);
}

int main (void)
{
    test_deadline (20);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_DGRAM);
    void *b = zmq_socket (ctx, ZMQ_DGRAM);
    CHECK_EQ_INT (get_int (a, ZMQ_TYPE), ZMQ_DGRAM);
    CHECK_EQ_INT (get_int (a, ZMQ_THREAD_SAFE), 0);
    int port_a = 20000 + getpid () % 30000;
    int port_b = port_a + 1 > 49999 ? 20000 : port_a + 1;
    char ep_a[64], ep_b[64], to_b[32];
    snprintf (ep_a, sizeof ep_a, "udp://127.0.0.1:%d", port_a);
    snprintf (ep_b, sizeof ep_b, "udp://127.0.0.1:%d", port_b);
    snprintf (to_b, sizeof to_b, "127.0.0.1:%d", port_b);
    CHECK_ERR (zmq_connect (a, ep_b), ENOCOMPATPROTO);
    CHECK_OK (zmq_bind (a, ep_a));
    CHECK_OK (zmq_bind (b, ep_b));

    CHECK_ERR (zmq_send (a, "body", 4, 0), EINVAL);
    send_str (a, to_b, ZMQ_SNDMORE);
    CHECK_ERR (zmq_send (a, to_b, strlen (to_b), ZMQ_SNDMORE), EINVAL);
    send_str (a, "first", 0);

    /* The first datagram may go before b's socket is up: probe. */
    set_int (b, ZMQ_RCVTIMEO, 20);
    long long deadline = now_ms () + 5000;
    while (!poll_in_ms (b, 20)) {
        CHECK (now_ms () < deadline);
        send_str (a, to_b, ZMQ_SNDMORE);
        send_str (a, "first", 0);
    }
    set_int (b, ZMQ_RCVTIMEO, 5000);
    char from[64];
    recv_addr_body (b, from, sizeof from, "first");
    char expect_from[32];
    snprintf (expect_from, sizeof expect_from, "127.0.0.1:%d", port_a);
    CHECK (strcmp (from, expect_from) == 0);
    /* Drain further probes. */
    char buf[64];
    set_int (b, ZMQ_RCVTIMEO, 100);
    while (zmq_recv (b, buf, sizeof buf, 0) >= 0)
        ;

    /* Reply to the address received (its NUL included, as received). */
    CHECK_EQ_INT (zmq_send (b, from, strlen (from) + 1, ZMQ_SNDMORE),
                  (int) strlen (from) + 1);
    send_str (b, "reply", 0);
    set_int (a, ZMQ_RCVTIMEO, 5000);
    char from_b[64];
    recv_addr_body (a, from_b, sizeof from_b, "reply");
    CHECK (strcmp (from_b, to_b) == 0);

    zmq_close (a);
    zmq_close (b);
    zmq_ctx_term (ctx);
    return 0;
}
