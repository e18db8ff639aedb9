/* behaviour: after a NULL handshake from a raw ZMTP 3.1 peer, its message frames (MORE flag for multipart) reach a PULL socket intact. */
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
    wu_send_msg_str (fd, "hello", 0);
    wu_send_msg_str (fd, "part-1", 1);
    wu_send_msg_str (fd, "part-2", 1);
    wu_send_frame (fd, 0, "", 0);
    CHECK (poll_in_ms (pull, 5000));
    recv_frame_bytes_eq (pull, "hello", 5, 0);
    recv_frame_bytes_eq (pull, "part-1", 6, 1);
    recv_frame_bytes_eq (pull, "part-2", 6, 1);
    recv_frame_bytes_eq (pull, "", 0, 0);
    close (fd);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
