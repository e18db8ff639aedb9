/* behaviour: subscriptions are counted: subscribing a topic twice needs two unsubscribes before it stops matching. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "refcnt");
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (pub && sub);
    CHECK_OK (zmq_bind (pub, ep));
    CHECK_OK (zmq_connect (sub, ep));
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "T", 1));
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "T", 1));
    pubsub_settle (pub, sub, "T-probe");

    CHECK_OK (zmq_setsockopt (sub, ZMQ_UNSUBSCRIBE, "T", 1));
    /* One subscription left: still delivered. Use a control topic to
       order the check after the unsubscription reached the publisher. */
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "C1", 2));
    pubsub_settle (pub, sub, "C1-probe");
    send_str (pub, "T-still", 0);
    recv_str_eq (sub, "T-still", 0);

    CHECK_OK (zmq_setsockopt (sub, ZMQ_UNSUBSCRIBE, "T", 1));
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "C2", 2));
    pubsub_settle (pub, sub, "C2-probe");
    send_str (pub, "T-gone", 0);
    send_str (pub, "C2-end", 0);
    recv_str_eq (sub, "C2-end", 0);

    zmq_close (sub);
    zmq_close (pub);
    zmq_ctx_term (ctx);
    return 0;
}
