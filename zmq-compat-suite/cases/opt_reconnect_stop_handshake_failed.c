/* behaviour: ZMQ_RECONNECT_STOP with HANDSHAKE_FAILED (2): when the peer never completes the ZMTP handshake (HANDSHAKE_IVL runs out), the socket disconnects and does not reconnect; without it, it reconnects */
#include "testutil.h"

/* Declared only under ZMQ_BUILD_DRAFT_API in zmq.h; libzmq handles it in
 * every build. */
#define OPT_RECONNECT_STOP 109
#define RECONNECT_STOP_HANDSHAKE_FAILED 2

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    /* A STREAM socket accepts tcp connections but never speaks ZMTP. */
    void *dummy = zmq_socket (ctx, ZMQ_STREAM);
    CHECK (dummy);
    char ep[256];
    bind_tcp_ephemeral (dummy, ep, sizeof ep);

    int with_flag[2] = {RECONNECT_STOP_HANDSHAKE_FAILED, 0};
    for (int round = 0; round < 2; round++) {
        void *s = zmq_socket (ctx, ZMQ_DEALER);
        CHECK (s);
        set_int (s, OPT_RECONNECT_STOP, with_flag[round]);
        set_int (s, ZMQ_HANDSHAKE_IVL, 200);
        set_int (s, ZMQ_RECONNECT_IVL, 50);
        char mon_ep[128];
        inproc_endpoint (mon_ep, sizeof mon_ep, round ? "plain" : "stop");
        CHECK_OK (zmq_socket_monitor (s, mon_ep, ZMQ_EVENT_ALL));
        void *mon = zmq_socket (ctx, ZMQ_PAIR);
        CHECK (mon);
        CHECK_OK (zmq_connect (mon, mon_ep));
        CHECK_OK (zmq_connect (s, ep));

        /* The handshake times out after 200 ms, then the connection ends. */
        expect_monitor_event (mon, ZMQ_EVENT_CONNECTED, 2000, NULL, 0);
        expect_monitor_event (mon, ZMQ_EVENT_DISCONNECTED, 3000, NULL, 0);
        int retried = 0, connected = 0;
        long long deadline = now_ms () + 600;
        for (;;) {
            long left = (long) (deadline - now_ms ());
            if (left <= 0)
                break;
            int ev = recv_monitor_event (mon, (int) left, NULL, NULL, 0);
            if (ev < 0)
                break;
            if (ev == ZMQ_EVENT_CONNECT_RETRIED)
                retried++;
            if (ev == ZMQ_EVENT_CONNECTED)
                connected++;
        }
        if (with_flag[round] && (retried || connected))
            FAIL ("HANDSHAKE_FAILED set, yet %d retries and %d new "
                  "connections after the failed handshake",
                  retried, connected);
        if (!with_flag[round] && !(retried && connected))
            FAIL ("without RECONNECT_STOP: %d retries, %d new connections "
                  "in 600 ms after the failed handshake",
                  retried, connected);
        set_int (s, ZMQ_LINGER, 0);
        CHECK_OK (zmq_socket_monitor (s, NULL, 0));
        CHECK_OK (zmq_close (s));
        set_int (mon, ZMQ_LINGER, 0);
        CHECK_OK (zmq_close (mon));
    }
    set_int (dummy, ZMQ_LINGER, 0);
    CHECK_OK (zmq_close (dummy));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
