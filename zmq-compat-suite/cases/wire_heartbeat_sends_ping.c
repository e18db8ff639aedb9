/* behaviour: with ZMQ_HEARTBEAT_IVL set the library sends PING commands at that interval, carrying ZMQ_HEARTBEAT_TTL in deciseconds. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    set_int (pull, ZMQ_HEARTBEAT_IVL, 100);
    set_int (pull, ZMQ_HEARTBEAT_TTL, 2000);
    set_int (pull, ZMQ_HEARTBEAT_TIMEOUT, 5000);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    int fd = wu_peer_connect (ep, "PUSH", "PULL");
    long long t0 = now_ms ();
    for (int i = 0; i < 3; i++) {
        unsigned char data[64];
        size_t len = 0;
        int rc = wu_recv_command (fd, "PING", data, sizeof data, &len, 3000);
        if (rc != WU_OK)
            FAIL ("PING %d: %s", i, rc == WU_TIMEOUT ? "timeout" : "closed");
        CHECK (len >= 2);
        CHECK_EQ_INT (data[0], 0);
        CHECK_EQ_INT (data[1], 20); /* 2000 ms = 20 ds */
        /* Answer so the library is satisfied. */
        wu_send_command (fd, "PONG", data + 2, len - 2);
    }
    long long dt = now_ms () - t0;
    if (dt > 2500)
        FAIL ("3 PINGs took %lld ms with a 100 ms interval", dt);
    close (fd);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
