/* behaviour: without ZMQ_ROUTER_MANDATORY a ROUTER silently drops a message for an unknown routing id: the send succeeds and nobody receives it. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "drop");
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (router && dealer);
    CHECK_OK (zmq_setsockopt (dealer, ZMQ_ROUTING_ID, "known", 5));
    CHECK_OK (zmq_bind (router, ep));
    CHECK_OK (zmq_connect (dealer, ep));
    send_str (dealer, "hello", 0);
    recv_str_eq (router, "known", 0);
    recv_str_eq (router, "hello", 0);

    CHECK_EQ_INT (zmq_send (router, "ghost", 5, ZMQ_SNDMORE), 5);
    CHECK_EQ_INT (zmq_send (router, "lost", 4, ZMQ_SNDMORE), 4);
    CHECK_EQ_INT (zmq_send (router, "lost2", 5, 0), 5);
    send_str (router, "known", ZMQ_SNDMORE);
    send_str (router, "real", 0);
    recv_str_eq (dealer, "real", 0);
    expect_silence (dealer, 50);

    zmq_close (dealer);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
