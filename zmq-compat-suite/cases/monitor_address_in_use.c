/* behaviour: two sockets cannot be monitored on the same inproc address: the second zmq_socket_monitor fails with EADDRINUSE */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PULL);
    void *b = zmq_socket (ctx, ZMQ_PULL);
    CHECK (ctx && a && b);
    CHECK_OK (zmq_socket_monitor (a, "inproc://monitor-dup", ZMQ_EVENT_ALL));
    CHECK_ERR (zmq_socket_monitor (b, "inproc://monitor-dup", ZMQ_EVENT_ALL),
               EADDRINUSE);
    CHECK_OK (zmq_socket_monitor (b, "inproc://monitor-dup-2",
                                  ZMQ_EVENT_ALL));
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
