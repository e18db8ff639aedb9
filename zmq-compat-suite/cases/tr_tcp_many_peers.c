/* behaviour: one bound tcp socket serves many simultaneous peers, each of which gets its own reply. */
#include "testutil.h"

#define PEERS 24

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (router);
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);
    void *d[PEERS];
    for (int i = 0; i < PEERS; i++) {
        d[i] = zmq_socket (ctx, ZMQ_DEALER);
        CHECK (d[i]);
        char id[16];
        snprintf (id, sizeof id, "peer%d", i);
        CHECK_OK (zmq_setsockopt (d[i], ZMQ_ROUTING_ID, id, strlen (id)));
        CHECK_OK (zmq_connect (d[i], ep));
        send_str (d[i], id, 0);
    }
    for (int k = 0; k < PEERS; k++) {
        char id[32], body[32];
        if (recv_str_within (router, id, sizeof id, 5000) < 0)
            FAIL ("only %d of %d peers heard", k, PEERS);
        recv_str_within (router, body, sizeof body, 1000);
        CHECK (strcmp (id, body) == 0);
        send_str (router, id, ZMQ_SNDMORE);
        send_str (router, id, 0);
    }
    for (int i = 0; i < PEERS; i++) {
        char id[16];
        snprintf (id, sizeof id, "peer%d", i);
        recv_str_eq (d[i], id, 0);
        zmq_close (d[i]);
    }
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
