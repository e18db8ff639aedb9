/* behaviour: a ROUTER names a peer that set no routing id with a generated 5-byte id starting with a zero byte, distinct per peer. */
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
    void *d[2];
    unsigned char id[2][16];
    for (int i = 0; i < 2; i++) {
        d[i] = zmq_socket (ctx, ZMQ_DEALER);
        CHECK (d[i]);
        CHECK_OK (zmq_connect (d[i], ep));
        send_str (d[i], i ? "d1" : "d0", 0);
        int n = zmq_recv (router, id[i], sizeof id[i], 0);
        CHECK_EQ_INT (n, 5);
        CHECK_EQ_INT (id[i][0], 0);
        CHECK_EQ_INT (get_int (router, ZMQ_RCVMORE), 1);
        recv_str_eq (router, i ? "d1" : "d0", 0);
    }
    CHECK (memcmp (id[0], id[1], 5) != 0);
    /* The generated ids address the peers. */
    for (int i = 1; i >= 0; i--) {
        send_bytes (router, id[i], 5, ZMQ_SNDMORE);
        send_str (router, i ? "to1" : "to0", 0);
        recv_str_eq (d[i], i ? "to1" : "to0", 0);
    }
    for (int i = 0; i < 2; i++)
        zmq_close (d[i]);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
