/* behaviour: a ROUTER peer whose READY has an empty Identity (or none) is given a generated 5-byte routing id starting with a zero byte. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (router);
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);
    const char *identities[2] = {"", NULL};
    unsigned char id[2][64];
    for (int i = 0; i < 2; i++) {
        int fd = wu_connect_endpoint (ep);
        wu_handshake (fd, 1, "DEALER", identities[i], "ROUTER");
        wu_send_msg_str (fd, "anon", 0);
        CHECK (poll_in_ms (router, 5000));
        CHECK_EQ_INT (zmq_recv (router, id[i], sizeof id[i], 0), 5);
        CHECK_EQ_INT (id[i][0], 0);
        recv_str_eq (router, "anon", 0);
        send_bytes (router, id[i], 5, ZMQ_SNDMORE);
        send_str (router, "reply", 0);
        wu_expect_msg_str (fd, "reply", 0);
        close (fd);
    }
    CHECK (memcmp (id[0], id[1], 5) != 0);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
