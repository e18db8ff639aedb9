/* behaviour: a SUB talking to a ZMTP 3.0 publisher sends its subscriptions as messages 0x01+topic (0x00+topic to unsubscribe), not as commands. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    int port;
    int lfd = wu_listen (&port);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (sub);
    set_int (sub, ZMQ_LINGER, 0);
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "abc", 3));
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", port);
    CHECK_OK (zmq_connect (sub, ep));
    int fd = wu_accept (lfd, 5000);
    wu_handshake (fd, 0, "PUB", NULL, "SUB");
    unsigned char buf[64];
    int flags;
    size_t len;
    wu_expect_msg_frame (fd, &flags, buf, sizeof buf, &len, 3000);
    CHECK (len == 4 && memcmp (buf, "\x01" "abc", 4) == 0);
    CHECK_EQ_INT (flags, 0);

    CHECK_OK (zmq_setsockopt (sub, ZMQ_UNSUBSCRIBE, "abc", 3));
    get_int (sub, ZMQ_EVENTS);
    wu_expect_msg_frame (fd, &flags, buf, sizeof buf, &len, 3000);
    CHECK (len == 4 && memcmp (buf, "\x00" "abc", 4) == 0);

    /* The publisher's messages reach the application. */
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    wu_send_msg_str (fd, "pubmsg", 0);
    CHECK (poll_in_ms (sub, 5000));
    recv_str_eq (sub, "pubmsg", 0);
    close (fd);
    close (lfd);
    zmq_close (sub);
    zmq_ctx_term (ctx);
    return 0;
}
