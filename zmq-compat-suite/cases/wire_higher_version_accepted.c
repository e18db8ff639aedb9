/* behaviour: a peer announcing a higher ZMTP version (4.0) is accepted and spoken to as ZMTP 3.1. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    int fd = wu_connect_endpoint (ep);
    unsigned char mine[64], theirs[64];
    wu_greeting (mine, 4, 0, "NULL", 0);
    wu_send_all (fd, mine, sizeof mine);
    wu_recv_greeting_null (fd, theirs);
    CHECK_EQ_INT (theirs[10], 3);
    CHECK_EQ_INT (theirs[11], 1);
    wu_send_ready (fd, "PUSH", NULL);
    wu_expect_ready (fd, "PULL");
    wu_send_msg_str (fd, "from-the-future", 0);
    CHECK (poll_in_ms (pull, 5000));
    recv_str_eq (pull, "from-the-future", 0);
    close (fd);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
