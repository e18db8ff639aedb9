/* behaviour: a STREAM socket that connects out announces the connection as [id][empty], with the id from ZMQ_CONNECT_ROUTING_ID, and talks raw TCP. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    int port;
    int lfd = wu_listen (&port);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *stream = zmq_socket (ctx, ZMQ_STREAM);
    CHECK (stream);
    CHECK_OK (zmq_setsockopt (stream, ZMQ_CONNECT_ROUTING_ID, "out", 3));
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", port);
    CHECK_OK (zmq_connect (stream, ep));
    int fd = wu_accept (lfd, 5000);
    CHECK (poll_in_ms (stream, 5000));
    recv_frame_bytes_eq (stream, "out", 3, 1);
    recv_frame_bytes_eq (stream, "", 0, 0);

    send_str (stream, "out", ZMQ_SNDMORE);
    send_str (stream, "raw-bytes", 0);
    char buf[9];
    wu_expect_bytes (fd, buf, 9, 3000, "raw bytes");
    CHECK (memcmp (buf, "raw-bytes", 9) == 0);
    wu_send_all (fd, "ok", 2);
    recv_frame_bytes_eq (stream, "out", 3, 1);
    recv_frame_bytes_eq (stream, "ok", 2, 0);

    close (fd);
    close (lfd);
    set_int (stream, ZMQ_LINGER, 0);
    zmq_close (stream);
    zmq_ctx_term (ctx);
    return 0;
}
