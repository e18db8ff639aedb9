/* behaviour: a monitored socket reports LISTENING, with the resolved endpoint and a valid fd as value, when it binds tcp */
#include "testutil.h"
#include <fcntl.h>

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && s && mon);
    CHECK_OK (zmq_socket_monitor (s, "inproc://monitor-listening",
                                  ZMQ_EVENT_ALL));
    CHECK_OK (zmq_connect (mon, "inproc://monitor-listening"));
    char ep[256];
    bind_tcp_ephemeral (s, ep, sizeof ep);
    uint32_t value;
    char got[256];
    int ev = recv_monitor_event (mon, 5000, &value, got, sizeof got);
    CHECK_EQ_INT (ev, ZMQ_EVENT_LISTENING);
    if (strcmp (got, ep) != 0)
        FAIL ("LISTENING endpoint '%s', expected '%s'", got, ep);
    CHECK (fcntl ((int) value, F_GETFD) != -1);
    set_int (mon, ZMQ_LINGER, 0);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_close (mon));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
