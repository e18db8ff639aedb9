/* behaviour: a peer whose READY announces a socket type incompatible with the socket (or an unknown one) is disconnected and its messages never delivered. */
#include "wireutil.h"

static void expect_rejected (void *pull, const char *ep, const char *type)
{
    int fd = wu_connect_endpoint (ep);
    unsigned char g[64];
    wu_send_greeting (fd, 1, "NULL");
    wu_recv_greeting_null (fd, g);
    wu_send_ready (fd, type, NULL);
    wu_try_send_all (fd, "\x00\x05" "sneak", 7);
    long long deadline = now_ms () + 5000;
    for (;;) {
        if (now_ms () > deadline)
            FAIL ("peer of type %s not disconnected", type);
        get_int (pull, ZMQ_EVENTS);
        if (wu_wait_closed (fd, 20))
            break;
    }
    close (fd);
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    expect_rejected (pull, ep, "PULL");
    expect_rejected (pull, ep, "REQ");
    expect_rejected (pull, ep, "PUB");
    expect_rejected (pull, ep, "NOSUCHTYPE");
    expect_silence (pull, 100);
    /* A compatible raw peer is accepted. */
    int fd = wu_peer_connect (ep, "PUSH", "PULL");
    wu_send_msg_str (fd, "accepted", 0);
    CHECK (poll_in_ms (pull, 5000));
    recv_str_eq (pull, "accepted", 0);
    close (fd);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
