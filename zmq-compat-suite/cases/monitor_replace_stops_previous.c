/* behaviour: a second zmq_socket_monitor on the same socket stops the first (which gets MONITOR_STOPPED) and events go to the new address */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    void *m1 = zmq_socket (ctx, ZMQ_PAIR);
    void *m2 = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && s && m1 && m2);
    set_int (m1, ZMQ_LINGER, 0);
    set_int (m2, ZMQ_LINGER, 0);
    CHECK_OK (zmq_socket_monitor (s, "inproc://monitor-r1", ZMQ_EVENT_ALL));
    CHECK_OK (zmq_connect (m1, "inproc://monitor-r1"));
    CHECK_OK (zmq_socket_monitor (s, "inproc://monitor-r2", ZMQ_EVENT_ALL));
    CHECK_OK (zmq_connect (m2, "inproc://monitor-r2"));
    CHECK_EQ_INT (recv_monitor_event (m1, 5000, NULL, NULL, 0),
                  ZMQ_EVENT_MONITOR_STOPPED);
    char ep[256];
    bind_tcp_ephemeral (s, ep, sizeof ep);
    CHECK_EQ_INT (recv_monitor_event (m2, 5000, NULL, NULL, 0),
                  ZMQ_EVENT_LISTENING);
    CHECK_EQ_INT (recv_monitor_event (m1, 200, NULL, NULL, 0), -1);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_close (m1));
    CHECK_OK (zmq_close (m2));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
