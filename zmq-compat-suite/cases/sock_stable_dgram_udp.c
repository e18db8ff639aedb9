/* behaviour: without the draft API DGRAM speaks udp: a message is the peer's "ip:port" frame then the body; the receiver sees the sender's address; a body alone is EINVAL */
/* The draft types' numbers are not in the stable header. Checked on
 * Debian's stable libzmq 4.3.4 (the reference, built without drafts: its
 * udp transport is not a draft feature) and on libzmq 4.3.5 built with
 * drafts (/tmp/lzd/build/lib): same answers. */
#include "testutil.h"

#define T_DGRAM 18

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, T_DGRAM);
    void *b = zmq_socket (ctx, T_DGRAM);
    CHECK (a && b);
    int port_a = 20000 + (getpid () * 2) % 29990;
    int port_b = port_a + 1;
    char ep_a[64], ep_b[64], to_b[32];
    snprintf (ep_a, sizeof ep_a, "udp://127.0.0.1:%d", port_a);
    snprintf (ep_b, sizeof ep_b, "udp://127.0.0.1:%d", port_b);
    snprintf (to_b, sizeof to_b, "127.0.0.1:%d", port_b);
    CHECK_OK (zmq_bind (a, ep_a));
    CHECK_OK (zmq_bind (b, ep_b));
    CHECK_ERR (zmq_send (a, "body", 4, 0), EINVAL);

    /* The first datagram may go before b's socket is up: probe. */
    set_int (b, ZMQ_RCVTIMEO, 20);
    long long deadline = now_ms () + 5000;
    char from[64];
    int n;
    for (;;) {
        send_str (a, to_b, ZMQ_SNDMORE);
        send_str (a, "hi", 0);
        n = zmq_recv (b, from, sizeof from - 1, 0);
        if (n >= 0)
            break;
        CHECK_EQ_INT (zmq_errno (), EAGAIN);
        CHECK (now_ms () < deadline);
    }
    CHECK (get_int (b, ZMQ_RCVMORE));
    from[n] = 0;
    char expect_from[32];
    snprintf (expect_from, sizeof expect_from, "127.0.0.1:%d", port_a);
    CHECK (strcmp (from, expect_from) == 0);
    set_int (b, ZMQ_RCVTIMEO, 5000);
    recv_str_eq (b, "hi", 0);

    zmq_close (a);
    zmq_close (b);
    zmq_ctx_term (ctx);
    return 0;
}
