/* behaviour: a SUB socket without any subscription receives nothing. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "nosub");
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    void *all = zmq_socket (ctx, ZMQ_SUB);
    CHECK (pub && sub && all);
    CHECK_OK (zmq_bind (pub, ep));
    CHECK_OK (zmq_connect (sub, ep));
    CHECK_OK (zmq_setsockopt (all, ZMQ_SUBSCRIBE, "", 0));
    CHECK_OK (zmq_connect (all, ep));
    /* A control subscriber proves messages were published. */
    pubsub_settle (pub, all, "probe");
    for (int i = 0; i < 10; i++)
        send_str (pub, "data", 0);
    for (int i = 0; i < 10; i++)
        recv_str_eq (all, "data", 0);
    expect_silence (sub, 300);

    zmq_close (sub);
    zmq_close (all);
    zmq_close (pub);
    zmq_ctx_term (ctx);
    return 0;
}
