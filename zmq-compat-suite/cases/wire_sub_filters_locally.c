/* behaviour: a SUB also filters on receipt: messages a publisher sends that match none of its subscriptions are not delivered to the application. */
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
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "want", 4));
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", port);
    CHECK_OK (zmq_connect (sub, ep));
    int fd = wu_accept (lfd, 5000);
    wu_handshake (fd, 1, "PUB", NULL, "SUB");
    /* A publisher that ignores subscriptions and sends everything. */
    wu_send_msg_str (fd, "unwanted", 0);
    wu_send_msg_str (fd, "other", 1);
    wu_send_msg_str (fd, "want-in-part-2", 0);
    wu_send_msg_str (fd, "wanted", 0);
    CHECK (poll_in_ms (sub, 5000));
    recv_str_eq (sub, "wanted", 0);
    expect_silence (sub, 100);
    close (fd);
    close (lfd);
    zmq_close (sub);
    zmq_ctx_term (ctx);
    return 0;
}
