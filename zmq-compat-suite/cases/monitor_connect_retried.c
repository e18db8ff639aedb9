/* behaviour: connecting to a tcp port nobody listens on reports CONNECT_RETRIED again and again, with the endpoint and the reconnect interval (>= RECONNECT_IVL) as value */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    /* Find a free port: bind, read it, close. */
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
    CHECK_OK (zmq_socket_monitor (cli, "inproc://monitor-retried",
                                  ZMQ_EVENT_CONNECT_DELAYED
                                    | ZMQ_EVENT_CONNECT_RETRIED));
    CHECK_OK (zmq_connect (mon, "inproc://monitor-retried"));
    CHECK_OK (zmq_connect (cli, ep));
    char got[256];
    uint32_t v;
    v = expect_monitor_event (mon, ZMQ_EVENT_CONNECT_RETRIED, 5000, got,
                              sizeof got);
    CHECK (strcmp (got, ep) == 0);
    if (v < 100 || v > 60000)
        FAIL ("CONNECT_RETRIED value %u, expected the reconnect interval", v);
    /* It keeps retrying. */
    expect_monitor_event (mon, ZMQ_EVENT_CONNECT_RETRIED, 5000, NULL, 0);
    CHECK_OK (zmq_close (cli));
    CHECK_OK (zmq_close (mon));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
