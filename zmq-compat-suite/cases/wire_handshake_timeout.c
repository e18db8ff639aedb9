/* behaviour: a peer that does not complete the ZMTP handshake within ZMQ_HANDSHAKE_IVL is disconnected. */
#include "wireutil.h"

static long long time_to_drop (void *sock, int fd, int limit_ms)
{
    long long t0 = now_ms ();
    for (;;) {
        if (now_ms () - t0 > limit_ms)
            return -1;
        get_int (sock, ZMQ_EVENTS);
        if (wu_wait_closed (fd, 20))
            return now_ms () - t0;
    }
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    set_int (pull, ZMQ_HANDSHAKE_IVL, 300);
    CHECK_EQ_INT (get_int (pull, ZMQ_HANDSHAKE_IVL), 300);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);

    /* Silent peer. */
    int fd = wu_connect_endpoint (ep);
    long long dt = time_to_drop (pull, fd, 5000);
    if (dt < 0)
        FAIL ("silent peer not dropped");
    if (dt < 150)
        FAIL ("silent peer dropped after %lld ms, before the interval", dt);
    close (fd);

    /* Peer stuck after the signature. */
    fd = wu_connect_endpoint (ep);
    unsigned char sig[10];
    wu_signature (sig);
    wu_send_all (fd, sig, 10);
    if (time_to_drop (pull, fd, 5000) < 0)
        FAIL ("half-greeted peer not dropped");
    close (fd);

    /* A peer that completes the handshake in time stays connected. */
    fd = wu_peer_connect (ep, "PUSH", "PULL");
    if (time_to_drop (pull, fd, 700) >= 0)
        FAIL ("handshaken peer was dropped");
    wu_send_msg_str (fd, "still-here", 0);
    CHECK (poll_in_ms (pull, 5000));
    recv_str_eq (pull, "still-here", 0);
    close (fd);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
