/* behaviour: with ZMQ_ROUTER_MANDATORY, sending to an unknown routing id fails with EHOSTUNREACH and sends nothing. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "mandatory");
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (router && dealer);
    set_int (router, ZMQ_ROUTER_MANDATORY, 1);
    CHECK_OK (zmq_setsockopt (dealer, ZMQ_ROUTING_ID, "known", 5));
    CHECK_OK (zmq_bind (router, ep));

    /* No peer at all. */
    CHECK_ERR (zmq_send (router, "known", 5, ZMQ_SNDMORE), EHOSTUNREACH);
    CHECK_ERR (zmq_send (router, "nobody", 6, ZMQ_SNDMORE | ZMQ_DONTWAIT),
               EHOSTUNREACH);

    CHECK_OK (zmq_connect (dealer, ep));
    send_str (dealer, "hello", 0);
    recv_str_eq (router, "known", 0);
    recv_str_eq (router, "hello", 0);

    CHECK_ERR (zmq_send (router, "unknown", 7, ZMQ_SNDMORE), EHOSTUNREACH);
    /* The failed send left no half-built message behind. */
    send_str (router, "known", ZMQ_SNDMORE);
    send_str (router, "reply", 0);
    recv_str_eq (dealer, "reply", 0);
    expect_silence (dealer, 50);

    zmq_close (dealer);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
