/* behaviour: a connection whose peer never completes the ZMTP handshake within ZMQ_HANDSHAKE_IVL is dropped with HANDSHAKE_FAILED_NO_DETAIL then DISCONNECTED on the monitor, and the socket reconnects (the value, a stale errno in libzmq, is left open). */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    /* A raw STREAM socket never sends a ZMTP greeting. */
    void *silent = zmq_socket (ctx, ZMQ_STREAM);
    CHECK (silent);
    set_int (silent, ZMQ_LINGER, 0);
    char ep[256];
    bind_tcp_ephemeral (silent, ep, sizeof ep);

    void *client = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (client);
    set_int (client, ZMQ_LINGER, 0);
    set_int (client, ZMQ_HANDSHAKE_IVL, 300);
    char mon_ep[64];
    inproc_endpoint (mon_ep, sizeof mon_ep, "mon");
    CHECK_OK (zmq_socket_monitor (client, mon_ep, ZMQ_EVENT_ALL));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (mon);
    CHECK_OK (zmq_connect (mon, mon_ep));
    long long start = now_ms ();
    CHECK_OK (zmq_connect (client, ep));

    expect_monitor_event (mon, ZMQ_EVENT_CONNECTED, 3000, NULL, 0);
    int ev = recv_monitor_event (mon, 3000, NULL, NULL, 0);
    CHECK_EQ_INT (ev, ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL);
    CHECK (now_ms () - start >= 250);
    CHECK_EQ_INT (recv_monitor_event (mon, 3000, NULL, NULL, 0),
                  ZMQ_EVENT_DISCONNECTED);
    expect_monitor_event (mon, ZMQ_EVENT_CONNECT_RETRIED, 3000, NULL, 0);
    expect_monitor_event (mon, ZMQ_EVENT_CONNECTED, 3000, NULL, 0);

    zmq_close (client);
    zmq_close (mon);
    zmq_close (silent);
    zmq_ctx_term (ctx);
    return 0;
}
