/* behaviour: after the handshake, a command with an unknown name is ignored: the connection stays up and later messages are delivered. */
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
    wu_send_command (fd, "X-CUSTOM", "payload", 7);
    wu_send_msg_str (fd, "after-command", 0);
    CHECK (poll_in_ms (pull, 5000));
    recv_str_eq (pull, "after-command", 0);
    expect_silence (pull, 50);
    close (fd);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
