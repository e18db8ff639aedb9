/* behaviour: zmq_socket_monitor(s, NULL, 0) stops monitoring: MONITOR_STOPPED is sent and later activity produces no events */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && s && mon);
    set_int (mon, ZMQ_LINGER, 0);
    CHECK_OK (zmq_socket_monitor (s, "inproc://monitor-null", ZMQ_EVENT_ALL));
    CHECK_OK (zmq_connect (mon, "inproc://monitor-null"));
    CHECK_OK (zmq_socket_monitor (s, NULL, 0));
    CHECK_EQ_INT (recv_monitor_event (mon, 5000, NULL, NULL, 0),
                  ZMQ_EVENT_MONITOR_STOPPED);
    char ep[256];
    bind_tcp_ephemeral (s, ep, sizeof ep);
    CHECK_EQ_INT (recv_monitor_event (mon, 300, NULL, NULL, 0), -1);
    /* Stopping when not monitoring is harmless. */
    CHECK_OK (zmq_socket_monitor (s, NULL, 0));
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_close (mon));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
