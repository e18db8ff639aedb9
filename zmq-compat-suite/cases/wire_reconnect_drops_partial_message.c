/* behaviour: when a connection a socket made breaks in the middle of a multipart message, the frames already received are dropped: after the reconnection the socket receives only whole messages (libzmq's session rolls back the unfinished message) */
#include "testutil.h"
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    int port;
    int lfd = wu_listen (&port);
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", port);
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    set_int (pull, ZMQ_RECONNECT_IVL, 50);
    set_int (pull, ZMQ_LINGER, 0);
    CHECK_OK (zmq_connect (pull, ep));

    int fd = wu_accept (lfd, 5000);
    CHECK (fd >= 0);
    wu_handshake (fd, 1, "PUSH", NULL, "PULL");
    wu_send_msg_str (fd, "part1", 1);
    wu_send_msg_str (fd, "part2", 1);
    /* Let the library read the unfinished message before the break. */
    msleep (200);
    close (fd);

    fd = wu_accept (lfd, 5000);
    CHECK (fd >= 0);
    wu_handshake (fd, 1, "PUSH", NULL, "PULL");
    wu_send_msg_str (fd, "whole", 0);
    set_int (pull, ZMQ_RCVTIMEO, 5000);
    recv_str_eq (pull, "whole", 0);
    CHECK_EQ_INT (get_int (pull, ZMQ_RCVMORE), 0);
    expect_silence (pull, 100);

    close (fd);
    close (lfd);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
