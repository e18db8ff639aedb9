/* behaviour: a SUB with several subscriptions receives messages matching any of them and nothing else. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (pub && sub);
    char ep[256];
    bind_tcp_ephemeral (pub, ep, sizeof ep);
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "A", 1));
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "B", 1));
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "CD", 2));
    CHECK_OK (zmq_connect (sub, ep));
    pubsub_settle (pub, sub, "A-probe");
    pubsub_settle (pub, sub, "CD-probe");

    const char *sent[] = {"A1", "B1", "C1", "CD1", "D1", "B2", "Z"};
    for (int i = 0; i < 7; i++)
        send_str (pub, sent[i], 0);
    recv_str_eq (sub, "A1", 0);
    recv_str_eq (sub, "B1", 0);
    recv_str_eq (sub, "CD1", 0);
    recv_str_eq (sub, "B2", 0);
    expect_silence (sub, 200);

    set_int (sub, ZMQ_LINGER, 0);
    zmq_close (sub);
    zmq_close (pub);
    zmq_ctx_term (ctx);
    return 0;
}
