/* behaviour: a ZMTP 3.0 subscriber's subscription sent as a message 0x01+topic reaches an XPUB as such, and the XPUB then filters what it sends to that peer. */
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
    int fd = wu_connect_endpoint (ep);
    wu_handshake (fd, 0, "SUB", NULL, "XPUB");
    wu_send_frame (fd, 0, "\x01news", 5);
    CHECK (poll_in_ms (xpub, 5000));
    recv_frame_bytes_eq (xpub, "\x01news", 5, 0);
    send_str (xpub, "sports-1", 0);
    send_str (xpub, "news-1", 0);
    wu_expect_msg_str (fd, "news-1", 0);

    wu_send_frame (fd, 0, "\x00news", 5);
    CHECK (poll_in_ms (xpub, 5000));
    recv_frame_bytes_eq (xpub, "\x00news", 5, 0);
    close (fd);
    zmq_close (xpub);
    zmq_ctx_term (ctx);
    return 0;
}
