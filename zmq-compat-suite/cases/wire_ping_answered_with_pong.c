/* behaviour: the library answers a ZMTP 3.1 PING command with a PONG carrying the PING's context bytes. */
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
    /* TTL 0 (none), then up to 16 bytes of context. */
    wu_send_command (fd, "PING", "\x00\x00" "ctx-42", 8);
    unsigned char data[64];
    size_t len = 0;
    int rc = wu_recv_command (fd, "PONG", data, sizeof data, &len, 3000);
    if (rc != WU_OK)
        FAIL ("no PONG: %s", rc == WU_TIMEOUT ? "timeout" : "closed");
    CHECK (len == 6 && memcmp (data, "ctx-42", 6) == 0);
    /* A PING without context gets an empty PONG. */
    wu_send_command (fd, "PING", "\x00\x00", 2);
    rc = wu_recv_command (fd, "PONG", data, sizeof data, &len, 3000);
    CHECK (rc == WU_OK);
    CHECK_EQ_INT (len, 0);
    /* The connection is still fine for messages. */
    wu_send_msg_str (fd, "after-ping", 0);
    CHECK (poll_in_ms (pull, 5000));
    recv_str_eq (pull, "after-ping", 0);
    close (fd);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
