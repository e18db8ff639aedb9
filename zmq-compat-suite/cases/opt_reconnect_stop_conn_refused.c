/* behaviour: ZMQ_RECONNECT_STOP (109, default 0) with CONN_REFUSED (1): a tcp connect that is refused is not retried (no CONNECT_RETRIED event), while without it the socket keeps retrying */
#include "testutil.h"

/* Declared only under ZMQ_BUILD_DRAFT_API in zmq.h; libzmq handles it in
 * every build. */
#define OPT_RECONNECT_STOP 109
#define RECONNECT_STOP_CONN_REFUSED 1

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);

    /* A loopback port nobody listens on any more. */
    void *tmp = zmq_socket (ctx, ZMQ_PULL);
    CHECK (tmp);
    char ep[256];
    bind_tcp_ephemeral (tmp, ep, sizeof ep);
    CHECK_OK (zmq_close (tmp));
    msleep (100);

    int with_flag[2] = {RECONNECT_STOP_CONN_REFUSED, 0};
    for (int round = 0; round < 2; round++) {
        void *s = zmq_socket (ctx, ZMQ_DEALER);
        CHECK (s);
        CHECK_EQ_INT (get_int (s, OPT_RECONNECT_STOP), 0);
        set_int (s, OPT_RECONNECT_STOP, with_flag[round]);
        CHECK_EQ_INT (get_int (s, OPT_RECONNECT_STOP), with_flag[round]);
        set_int (s, ZMQ_RECONNECT_IVL, 50);
        char mon_ep[128];
        inproc_endpoint (mon_ep, sizeof mon_ep, round ? "plain" : "stop");
        CHECK_OK (zmq_socket_monitor (s, mon_ep, ZMQ_EVENT_ALL));
        void *mon = zmq_socket (ctx, ZMQ_PAIR);
        CHECK (mon);
        CHECK_OK (zmq_connect (mon, mon_ep));
        CHECK_OK (zmq_connect (s, ep));

        int retried = 0, delayed = 0;
        long long deadline = now_ms () + 800;
        for (;;) {
            long left = (long) (deadline - now_ms ());
            if (left <= 0)
                break;
            int ev = recv_monitor_event (mon, (int) left, NULL, NULL, 0);
            if (ev < 0)
                break;
            if (ev == ZMQ_EVENT_CONNECT_RETRIED)
                retried++;
            if (ev == ZMQ_EVENT_CONNECT_DELAYED)
                delayed++;
        }
        if (with_flag[round] && retried)
            FAIL ("CONN_REFUSED set, yet %d CONNECT_RETRIED events", retried);
        if (with_flag[round] && !delayed)
            FAIL ("no connect attempt seen (CONNECT_DELAYED)");
        if (!with_flag[round] && retried < 2)
            FAIL ("without RECONNECT_STOP only %d CONNECT_RETRIED in 800 ms",
                  retried);
        set_int (s, ZMQ_LINGER, 0);
        CHECK_OK (zmq_socket_monitor (s, NULL, 0));
        CHECK_OK (zmq_close (s));
        set_int (mon, ZMQ_LINGER, 0);
        CHECK_OK (zmq_close (mon));
    }
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
