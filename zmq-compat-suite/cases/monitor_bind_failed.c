/* behaviour: a failing tcp bind (address in use) on a monitored socket reports BIND_FAILED with value EADDRINUSE */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *first = zmq_socket (ctx, ZMQ_PULL);
    void *second = zmq_socket (ctx, ZMQ_PULL);
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && first && second && mon);
    set_int (mon, ZMQ_LINGER, 0);
    char ep[256];
    bind_tcp_ephemeral (first, ep, sizeof ep);
    CHECK_OK (zmq_socket_monitor (second, "inproc://monitor-bindfail",
                                  ZMQ_EVENT_BIND_FAILED));
    CHECK_OK (zmq_connect (mon, "inproc://monitor-bindfail"));
    /* Only the return code: the reference libzmq clobbers errno while
     * emitting the event. The errno itself is the event's value. */
    CHECK_EQ_INT (zmq_bind (second, ep), -1);
    uint32_t v;
    CHECK_EQ_INT (recv_monitor_event (mon, 5000, &v, NULL, 0),
                  ZMQ_EVENT_BIND_FAILED);
    CHECK_EQ_INT (v, EADDRINUSE);
    CHECK_OK (zmq_close (first));
    CHECK_OK (zmq_close (second));
    CHECK_OK (zmq_close (mon));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
