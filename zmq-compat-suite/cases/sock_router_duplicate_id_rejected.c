/* behaviour: without ZMQ_ROUTER_HANDOVER a ROUTER ignores a second peer claiming a routing id already in use; the id keeps addressing the first peer. */
#include "testutil.h"

static void wait_handshakes (void *mon, int want)
{
    int got = 0;
    while (got < want) {
        if (!poll_in_ms (mon, 5000))
            FAIL ("only %d of %d handshakes completed", got, want);
        zmq_msg_t m;
        zmq_msg_init (&m);
        CHECK_OK (zmq_msg_recv (&m, mon, 0));
        unsigned short ev;
        memcpy (&ev, zmq_msg_data (&m), 2);
        zmq_msg_close (&m);
        zmq_msg_init (&m);
        CHECK_OK (zmq_msg_recv (&m, mon, 0));
        zmq_msg_close (&m);
        if (ev == ZMQ_EVENT_HANDSHAKE_SUCCEEDED)
            got++;
    }
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (router);
    char mon_ep[128];
    inproc_endpoint (mon_ep, sizeof mon_ep, "mon");
    CHECK_OK (zmq_socket_monitor (router, mon_ep,
                                  ZMQ_EVENT_HANDSHAKE_SUCCEEDED));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (mon);
    CHECK_OK (zmq_connect (mon, mon_ep));
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);

    void *first = zmq_socket (ctx, ZMQ_DEALER);
    void *second = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (first && second);
    CHECK_OK (zmq_setsockopt (first, ZMQ_ROUTING_ID, "dup", 3));
    CHECK_OK (zmq_setsockopt (second, ZMQ_ROUTING_ID, "dup", 3));
    CHECK_OK (zmq_connect (first, ep));
    wait_handshakes (mon, 1);
    CHECK_OK (zmq_connect (second, ep));
    wait_handshakes (mon, 1);
    /* Let the ROUTER take both new pipes in. */
    get_int (router, ZMQ_EVENTS);

    for (int i = 0; i < 3; i++) {
        send_str (router, "dup", ZMQ_SNDMORE);
        send_str (router, "to-dup", 0);
    }
    for (int i = 0; i < 3; i++)
        recv_str_eq (first, "to-dup", 0);
    expect_silence (second, 200);

    set_int (first, ZMQ_LINGER, 0);
    set_int (second, ZMQ_LINGER, 0);
    zmq_close (first);
    zmq_close (second);
    zmq_socket_monitor (router, NULL, 0);
    zmq_close (mon);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
