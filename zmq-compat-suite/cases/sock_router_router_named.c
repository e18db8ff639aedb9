/* behaviour: two ROUTERs with explicit routing ids can address each other once connected, and ROUTER_MANDATORY reports EHOSTUNREACH until then. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *server = zmq_socket (ctx, ZMQ_ROUTER);
    void *client = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (server && client);
    CHECK_OK (zmq_setsockopt (server, ZMQ_ROUTING_ID, "server", 6));
    CHECK_OK (zmq_setsockopt (client, ZMQ_ROUTING_ID, "client", 6));
    set_int (client, ZMQ_ROUTER_MANDATORY, 1);
    char ep[256];
    bind_tcp_ephemeral (server, ep, sizeof ep);
    CHECK_OK (zmq_connect (client, ep));

    /* The client learns the server's name from the handshake. */
    long long deadline = now_ms () + 5000;
    for (;;) {
        if (zmq_send (client, "server", 6, ZMQ_SNDMORE | ZMQ_DONTWAIT) == 6)
            break;
        CHECK_EQ_INT (zmq_errno (), EHOSTUNREACH);
        if (now_ms () > deadline)
            FAIL ("server never became reachable");
        msleep (10);
    }
    send_str (client, "hello", 0);
    recv_str_eq (server, "client", 0);
    recv_str_eq (server, "hello", 0);
    send_str (server, "client", ZMQ_SNDMORE);
    send_str (server, "hi", 0);
    recv_str_eq (client, "server", 0);
    recv_str_eq (client, "hi", 0);

    zmq_close (client);
    zmq_close (server);
    zmq_ctx_term (ctx);
    return 0;
}
