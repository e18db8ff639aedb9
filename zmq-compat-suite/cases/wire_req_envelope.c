/* behaviour: on the wire a REQ puts an empty delimiter frame (MORE set) before the request body, and accepts a reply framed the same way. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    int port;
    int lfd = wu_listen (&port);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK (req);
    set_int (req, ZMQ_LINGER, 0);
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", port);
    CHECK_OK (zmq_connect (req, ep));
    int fd = wu_accept (lfd, 5000);
    wu_handshake (fd, 1, "REP", NULL, "REQ");
    send_str (req, "hello", 0);
    wu_expect_msg_str (fd, "", 1);
    wu_expect_msg_str (fd, "hello", 0);
    wu_send_msg_str (fd, "", 1);
    wu_send_msg_str (fd, "world", 0);
    CHECK (poll_in_ms (req, 5000));
    recv_frame_bytes_eq (req, "world", 5, 0);
    close (fd);
    close (lfd);
    zmq_close (req);
    zmq_ctx_term (ctx);
    return 0;
}
