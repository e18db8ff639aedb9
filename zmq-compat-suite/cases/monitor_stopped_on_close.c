/* behaviour: closing a monitored socket sends MONITOR_STOPPED (value 0, empty endpoint) as the last event */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && s && mon);
    set_int (mon, ZMQ_LINGER, 0);
    CHECK_OK (zmq_socket_monitor (s, "inproc://monitor-stopped",
                                  ZMQ_EVENT_ALL));
    CHECK_OK (zmq_connect (mon, "inproc://monitor-stopped"));
    char ep[256];
    bind_tcp_ephemeral (s, ep, sizeof ep);
    CHECK_OK (zmq_close (s));
    char got[256];
    uint32_t v = expect_monitor_event (mon, ZMQ_EVENT_MONITOR_STOPPED, 5000,
                                       got, sizeof got);
    CHECK_EQ_INT (v, 0);
    CHECK_EQ_INT (strlen (got), 0);
    /* Nothing after it. */
    CHECK_EQ_INT (recv_monitor_event (mon, 200, NULL, NULL, 0), -1);
    CHECK_OK (zmq_close (mon));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
