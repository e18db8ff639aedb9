/* behaviour: a ZMTP 3.1 peer's SUBSCRIBE and CANCEL commands reach an XPUB as 0x01+topic and 0x00+topic messages and drive its filtering. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    CHECK (xpub);
    char ep[256];
    bind_tcp_ephemeral (xpub, ep, sizeof ep);
    int fd = wu_peer_connect (ep, "SUB", "XPUB");
    wu_send_command (fd, "SUBSCRIBE", "news", 4);
    CHECK (poll_in_ms (xpub, 5000));
    recv_frame_bytes_eq (xpub, "\x01news", 5, 0);
    send_str (xpub, "sports-1", 0);
    send_str (xpub, "news-1", 0);
    wu_expect_msg_str (fd, "news-1", 0);

    wu_send_command (fd, "CANCEL", "news", 4);
    CHECK (poll_in_ms (xpub, 5000));
    recv_frame_bytes_eq (xpub, "\x00news", 5, 0);
    send_str (xpub, "news-2", 0);
    /* Order the check after the cancellation with a new subscription. */
    wu_send_command (fd, "SUBSCRIBE", "end", 3);
    CHECK (poll_in_ms (xpub, 5000));
    recv_frame_bytes_eq (xpub, "\x01" "end", 4, 0);
    send_str (xpub, "news-3", 0);
    send_str (xpub, "end", 0);
    wu_expect_msg_str (fd, "end", 0);
    close (fd);
    zmq_close (xpub);
    zmq_ctx_term (ctx);
    return 0;
}
