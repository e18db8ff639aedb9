/* behaviour: with heartbeats on, a peer that sends nothing (no PONG, no traffic) within ZMQ_HEARTBEAT_TIMEOUT after a PING is disconnected. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    set_int (pull, ZMQ_HEARTBEAT_IVL, 100);
    set_int (pull, ZMQ_HEARTBEAT_TIMEOUT, 300);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    int fd = wu_peer_connect (ep, "PUSH", "PULL");
    long long t0 = now_ms ();
    for (;;) {
        if (now_ms () - t0 > 5000)
            FAIL ("silent peer not disconnected");
        get_int (pull, ZMQ_EVENTS);
        if (wu_wait_closed (fd, 20))
            break;
    }
    long long dt = now_ms () - t0;
    if (dt < 250)
        FAIL ("disconnected after %lld ms, before ivl + timeout", dt);
    close (fd);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
