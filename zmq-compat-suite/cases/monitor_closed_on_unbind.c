/* behaviour: unbinding a monitored tcp listener reports CLOSED with the endpoint */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *srv = zmq_socket (ctx, ZMQ_PULL);
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && srv && mon);
    set_int (mon, ZMQ_LINGER, 0);
    CHECK_OK (zmq_socket_monitor (srv, "inproc://monitor-closed",
                                  ZMQ_EVENT_ALL));
    CHECK_OK (zmq_connect (mon, "inproc://monitor-closed"));
    char ep[256], got[256];
    bind_tcp_ephemeral (srv, ep, sizeof ep);
    CHECK_EQ_INT (recv_monitor_event (mon, 5000, NULL, NULL, 0),
                  ZMQ_EVENT_LISTENING);
    CHECK_OK (zmq_unbind (srv, ep));
    expect_monitor_event (mon, ZMQ_EVENT_CLOSED, 5000, got, sizeof got);
    CHECK (strcmp (got, ep) == 0);
    CHECK_OK (zmq_close (srv));
    CHECK_OK (zmq_close (mon));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
