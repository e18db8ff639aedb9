/* behaviour: a ws server answers 101 with ZWS2.0/NULL, sends READY as a binary message flagged COMMAND, delivers a client's masked message frames with MORE, and replies in unmasked frames. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK_OK (zmq_bind (s, "ws://127.0.0.1:*/z"));
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (s, ZMQ_LAST_ENDPOINT, ep, &len));
    int fd = wu_connect_endpoint (ep);
    char proto[64];
    int status = wu_ws_upgrade (fd, "/any-path", "ZWS2.0/NULL,ZWS2.0", proto,
                                sizeof proto);
    if (status != 101)
        FAIL ("upgrade status %d", status);
    if (strcmp (proto, "ZWS2.0/NULL") != 0)
        FAIL ("subprotocol '%s'", proto);
    int op, flags;
    unsigned char buf[512];
    size_t n;
    if (wu_ws_recv (fd, &op, &flags, buf, sizeof buf, &n, 3000) != WU_OK)
        FAIL ("no READY");
    if (op != WU_WS_BINARY || flags != WU_WS_COMMAND || n < 6
        || memcmp (buf, "\x05READY", 6) != 0)
        FAIL ("READY: opcode %d flags %d len %zu", op, flags, n);
    wu_ws_send_command (fd, "READY", "\x0bSocket-Type\x00\x00\x00\x06" "DEALER",
                        22);
    wu_ws_send (fd, WU_WS_BINARY, WU_WS_MORE, "head", 4);
    wu_ws_send (fd, WU_WS_BINARY, 0, "tail", 4);
    recv_str_eq (s, "head", 0);
    CHECK (get_int (s, ZMQ_RCVMORE));
    recv_str_eq (s, "tail", 0);
    send_str (s, "r1", ZMQ_SNDMORE);
    send_str (s, "r2", 0);
    if (wu_ws_recv (fd, &op, &flags, buf, sizeof buf, &n, 3000) != WU_OK)
        FAIL ("no reply");
    if (op != WU_WS_BINARY || flags != WU_WS_MORE || n != 2
        || memcmp (buf, "r1", 2) != 0)
        FAIL ("reply 1: opcode %d flags %d len %zu", op, flags, n);
    if (wu_ws_recv (fd, &op, &flags, buf, sizeof buf, &n, 3000) != WU_OK)
        FAIL ("no reply 2");
    if (op != WU_WS_BINARY || flags != 0 || n != 2 || memcmp (buf, "r2", 2))
        FAIL ("reply 2: opcode %d flags %d len %zu", op, flags, n);
    close (fd);
    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
