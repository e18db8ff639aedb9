/* behaviour: a PUB delivers a copy of each message to every subscriber whose subscription matches it. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    CHECK (pub);
    char ep[256];
    bind_tcp_ephemeral (pub, ep, sizeof ep);
    const char *topics[3] = {"", "a", "b"};
    void *sub[3];
    for (int i = 0; i < 3; i++) {
        sub[i] = zmq_socket (ctx, ZMQ_SUB);
        CHECK (sub[i]);
        CHECK_OK (zmq_setsockopt (sub[i], ZMQ_SUBSCRIBE, topics[i],
                                  strlen (topics[i])));
        CHECK_OK (zmq_connect (sub[i], ep));
    }
    pubsub_settle (pub, sub[1], "a-probe");
    pubsub_settle (pub, sub[2], "b-probe");
    /* sub[0] saw the probes too. */
    char buf[32];
    while (recv_str_within (sub[0], buf, sizeof buf, 50) >= 0)
        ;
    send_str (pub, "a1", 0);
    send_str (pub, "b1", 0);
    send_str (pub, "c1", 0);
    recv_str_eq (sub[0], "a1", 0);
    recv_str_eq (sub[0], "b1", 0);
    recv_str_eq (sub[0], "c1", 0);
    recv_str_eq (sub[1], "a1", 0);
    recv_str_eq (sub[2], "b1", 0);
    for (int i = 0; i < 3; i++) {
        expect_silence (sub[i], 50);
        set_int (sub[i], ZMQ_LINGER, 0);
        zmq_close (sub[i]);
    }
    zmq_close (pub);
    zmq_ctx_term (ctx);
    return 0;
}
