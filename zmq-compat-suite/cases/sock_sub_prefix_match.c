/* behaviour: a SUB receives exactly the messages whose first frame starts with a subscribed prefix. */
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
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "ab", 2));
    CHECK_OK (zmq_connect (sub, ep));
    pubsub_settle (pub, sub, "ab-probe");

    send_str (pub, "abc", 0);
    send_str (pub, "a", 0);
    send_str (pub, "xab", 0);
    send_str (pub, "Ab", 0);
    send_str (pub, "ab", 0);
    send_str (pub, "", 0);
    send_str (pub, "ab\x01tail", 0);
    recv_str_eq (sub, "abc", 0);
    recv_str_eq (sub, "ab", 0);
    recv_str_eq (sub, "ab\x01tail", 0);
    expect_silence (sub, 200);

    set_int (sub, ZMQ_LINGER, 0);
    zmq_close (sub);
    zmq_close (pub);
    zmq_ctx_term (ctx);
    return 0;
}
