/* behaviour: over ws, ZMQ_HEARTBEAT_IVL sends WebSocket ping control frames, and a ping from the peer is answered with a pong control frame. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    set_int (s, ZMQ_HEARTBEAT_IVL, 50);
    CHECK_OK (zmq_bind (s, "ws://127.0.0.1:*/hb"));
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (s, ZMQ_LAST_ENDPOINT, ep, &len));
    int fd = wu_connect_endpoint (ep);
    if (wu_ws_upgrade (fd, "/hb", "ZWS2.0/NULL,ZWS2.0", NULL, 0) != 101)
        FAIL ("upgrade refused");
    wu_ws_send_command (fd, "READY", "\x0bSocket-Type\x00\x00\x00\x04PAIR", 20);
    int op, flags, pings = 0, pongs = 0;
    unsigned char buf[512];
    size_t n;
    long long deadline = now_ms () + 3000;
    int sent_ping = 0;
    while ((pings < 2 || pongs < 1) && now_ms () < deadline) {
        int rc = wu_ws_recv (fd, &op, &flags, buf, sizeof buf, &n, 3000);
        if (rc != WU_OK)
            FAIL ("connection %s", rc == WU_TIMEOUT ? "silent" : "closed");
        if (op == WU_WS_PING) {
            /* Answered, or the server's heartbeat timeout drops us. */
            wu_ws_send (fd, WU_WS_PONG, -1, NULL, 0);
            pings++;
        }
        else if (op == WU_WS_PONG)
            pongs++;
        else if (op != WU_WS_BINARY)
            FAIL ("unexpected opcode %d", op);
        if (!sent_ping && op == WU_WS_BINARY) {
            /* READY came: ask for a pong. */
            wu_ws_send (fd, WU_WS_PING, -1, NULL, 0);
            sent_ping = 1;
        }
    }
    if (pings < 2 || pongs < 1)
        FAIL ("pings %d pongs %d", pings, pongs);
    close (fd);
    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
