/* behaviour: with ZMQ_ROUTER_HANDOVER a new peer using an existing routing id takes it over: messages for that id go to the newcomer. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (router);
    set_int (router, ZMQ_ROUTER_HANDOVER, 1);
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);

    void *old = zmq_socket (ctx, ZMQ_DEALER);
    void *newer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (old && newer);
    CHECK_OK (zmq_setsockopt (old, ZMQ_ROUTING_ID, "dup", 3));
    CHECK_OK (zmq_setsockopt (newer, ZMQ_ROUTING_ID, "dup", 3));
    CHECK_OK (zmq_connect (old, ep));
    send_str (old, "from-old", 0);
    recv_str_eq (router, "dup", 0);
    recv_str_eq (router, "from-old", 0);

    CHECK_OK (zmq_connect (newer, ep));
    send_str (newer, "from-new", 0);
    recv_str_eq (router, "dup", 0);
    recv_str_eq (router, "from-new", 0);

    send_str (router, "dup", ZMQ_SNDMORE);
    send_str (router, "to-dup", 0);
    recv_str_eq (newer, "to-dup", 0);
    expect_silence (old, 200);

    set_int (old, ZMQ_LINGER, 0);
    zmq_close (old);
    zmq_close (newer);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
