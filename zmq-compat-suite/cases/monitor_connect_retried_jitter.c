/* behaviour: without RECONNECT_IVL_MAX each retry waits RECONNECT_IVL plus a random part below RECONNECT_IVL (so clients cut off together do not retry in lockstep): CONNECT_RETRIED values lie in [IVL, 2*IVL) and are not all the same */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *probe = zmq_socket (ctx, ZMQ_PULL);
    CHECK (probe);
    char ep[256];
    bind_tcp_ephemeral (probe, ep, sizeof ep);
    CHECK_OK (zmq_close (probe));
    msleep (100);

    void *cli = zmq_socket (ctx, ZMQ_PUSH);
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (cli && mon);
    set_int (cli, ZMQ_LINGER, 0);
    set_int (mon, ZMQ_LINGER, 0);
    set_int (cli, ZMQ_RECONNECT_IVL, 100);
    CHECK_OK (zmq_socket_monitor (cli, "inproc://monitor-jitter",
                                  ZMQ_EVENT_CONNECT_RETRIED));
    CHECK_OK (zmq_connect (mon, "inproc://monitor-jitter"));
    CHECK_OK (zmq_connect (cli, ep));
    uint32_t first = 0;
    int distinct = 0;
    for (int i = 0; i < 12; i++) {
        uint32_t v = expect_monitor_event (mon, ZMQ_EVENT_CONNECT_RETRIED,
                                           5000, NULL, 0);
        if (v < 100 || v >= 200)
            FAIL ("CONNECT_RETRIED value %u, expected 100 <= v < 200", v);
        if (i == 0)
            first = v;
        else if (v != first)
            distinct = 1;
    }
    /* Twelve equal draws from 100 values: about 1e-22 if random. */
    if (!distinct)
        FAIL ("every CONNECT_RETRIED value was %u: no random part", first);
    CHECK_OK (zmq_close (cli));
    CHECK_OK (zmq_close (mon));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
