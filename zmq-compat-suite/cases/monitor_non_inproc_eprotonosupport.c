/* behaviour: zmq_socket_monitor on a tcp/ipc/unknown-scheme address fails with EPROTONOSUPPORT, on an address without scheme with EINVAL */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    CHECK (ctx && s);
    CHECK_ERR (zmq_socket_monitor (s, "tcp://127.0.0.1:5555", ZMQ_EVENT_ALL),
               EPROTONOSUPPORT);
    CHECK_ERR (zmq_socket_monitor (s, "ipc:///tmp/zcs-monitor-nope",
                                   ZMQ_EVENT_ALL),
               EPROTONOSUPPORT);
    CHECK_ERR (zmq_socket_monitor (s, "nosuch://x", ZMQ_EVENT_ALL),
               EPROTONOSUPPORT);
    CHECK_ERR (zmq_socket_monitor (s, "no-scheme-at-all", ZMQ_EVENT_ALL),
               EINVAL);
    CHECK_OK (zmq_socket_monitor (s, "inproc://monitor-ok", ZMQ_EVENT_ALL));
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
