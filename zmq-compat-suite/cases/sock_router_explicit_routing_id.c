/* behaviour: a peer's ZMQ_ROUTING_ID becomes the first frame of its messages at a ROUTER and addresses replies to it. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (router);
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);
    const char *names[3] = {"alpha", "beta", "gamma"};
    void *d[3];
    for (int i = 0; i < 3; i++) {
        d[i] = zmq_socket (ctx, ZMQ_DEALER);
        CHECK (d[i]);
        CHECK_OK (zmq_setsockopt (d[i], ZMQ_ROUTING_ID, names[i],
                                  strlen (names[i])));
        CHECK_OK (zmq_connect (d[i], ep));
        send_str (d[i], "hi", 0);
    }
    int seen[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) {
        char who[64];
        int n = zmq_recv (router, who, sizeof who - 1, 0);
        CHECK (n > 0);
        who[n] = 0;
        recv_str_eq (router, "hi", 0);
        int i;
        for (i = 0; i < 3 && strcmp (who, names[i]) != 0; i++)
            ;
        if (i == 3)
            FAIL ("unexpected routing id '%s'", who);
        seen[i]++;
    }
    CHECK (seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
    for (int i = 2; i >= 0; i--) {
        send_str (router, names[i], ZMQ_SNDMORE);
        send_str (router, names[i], 0);
    }
    for (int i = 0; i < 3; i++) {
        recv_str_eq (d[i], names[i], 0);
        expect_silence (d[i], 20);
    }
    for (int i = 0; i < 3; i++)
        zmq_close (d[i]);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
