/* behaviour: with ZMQ_ROUTER_MANDATORY, once a peer has disconnected its routing id becomes unknown and sends to it fail with EHOSTUNREACH. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (router && dealer);
    set_int (router, ZMQ_ROUTER_MANDATORY, 1);
    CHECK_OK (zmq_setsockopt (dealer, ZMQ_ROUTING_ID, "leaver", 6));
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);
    CHECK_OK (zmq_connect (dealer, ep));
    send_str (dealer, "hi", 0);
    recv_str_eq (router, "leaver", 0);
    recv_str_eq (router, "hi", 0);
    send_str (router, "leaver", ZMQ_SNDMORE);
    send_str (router, "ok", 0);
    recv_str_eq (dealer, "ok", 0);

    set_int (dealer, ZMQ_LINGER, 0);
    zmq_close (dealer);
    long long deadline = now_ms () + 5000;
    for (;;) {
        int rc = zmq_send (router, "leaver", 6, ZMQ_SNDMORE | ZMQ_DONTWAIT);
        if (rc == -1) {
            CHECK_EQ_INT (zmq_errno (), EHOSTUNREACH);
            break;
        }
        send_str (router, "late", ZMQ_DONTWAIT);
        if (now_ms () > deadline)
            FAIL ("departed peer still reachable");
        msleep (10);
    }
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
