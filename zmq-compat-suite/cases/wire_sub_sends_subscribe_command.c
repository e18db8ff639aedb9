/* behaviour: a SUB talking to a ZMTP 3.1 publisher sends its subscriptions as SUBSCRIBE commands and unsubscriptions as CANCEL commands. */
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
    wu_handshake (fd, 1, "PUB", NULL, "SUB");
    unsigned char data[64];
    size_t len = 0;
    CHECK (wu_recv_command (fd, "SUBSCRIBE", data, sizeof data, &len, 3000)
           == WU_OK);
    CHECK (len == 3 && memcmp (data, "abc", 3) == 0);

    CHECK_OK (zmq_setsockopt (sub, ZMQ_UNSUBSCRIBE, "abc", 3));
    get_int (sub, ZMQ_EVENTS);
    CHECK (wu_recv_command (fd, "CANCEL", data, sizeof data, &len, 3000)
           == WU_OK);
    CHECK (len == 3 && memcmp (data, "abc", 3) == 0);
    close (fd);
    close (lfd);
    zmq_close (sub);
    zmq_ctx_term (ctx);
    return 0;
}
