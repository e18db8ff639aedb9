/* behaviour: a DEALER's ZMQ_ROUTING_ID is the identity frame its ROUTER peer receives and can address replies to */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && router && dealer);
    CHECK_OK (zmq_setsockopt (dealer, ZMQ_ROUTING_ID, "client-7", 8));
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);
    CHECK_OK (zmq_connect (dealer, ep));
    send_str (dealer, "request", 0);
    recv_str_eq (router, "client-7", 0);
    recv_str_eq (router, "request", 0);
    send_str (router, "client-7", ZMQ_SNDMORE);
    send_str (router, "reply", 0);
    recv_str_eq (dealer, "reply", 0);
    CHECK_OK (zmq_close (router));
    CHECK_OK (zmq_close (dealer));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
