/* behaviour: a PING's TTL (deciseconds) makes the library drop the connection if nothing more arrives from that peer within the TTL. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    int fd = wu_peer_connect (ep, "PUSH", "PULL");
    wu_send_command (fd, "PING", "\x00\x04", 2); /* TTL 400 ms */
    long long t0 = now_ms ();
    for (;;) {
        if (now_ms () - t0 > 5000)
            FAIL ("connection kept beyond the peer's TTL");
        get_int (pull, ZMQ_EVENTS);
        if (wu_wait_closed (fd, 20))
            break;
    }
    long long dt = now_ms () - t0;
    if (dt < 300)
        FAIL ("dropped after %lld ms, before the 400 ms TTL", dt);
    close (fd);

    /* Without a TTL the library keeps a quiet peer. */
    fd = wu_peer_connect (ep, "PUSH", "PULL");
    wu_send_command (fd, "PING", "\x00\x00", 2);
    t0 = now_ms ();
    while (now_ms () - t0 < 700) {
        get_int (pull, ZMQ_EVENTS);
        if (wu_wait_closed (fd, 20))
            FAIL ("peer without TTL was dropped");
    }
    close (fd);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
