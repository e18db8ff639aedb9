/* behaviour: zmq_socket_monitor with event bits above the 16 defined by the v1 format fails with EINVAL */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    CHECK (ctx && s);
    CHECK_ERR (zmq_socket_monitor (s, "inproc://monitor-bits", 0x10000),
               EINVAL);
    CHECK_ERR (zmq_socket_monitor (s, "inproc://monitor-bits", -1), EINVAL);
    CHECK_EQ_INT (ZMQ_EVENT_ALL, 0xFFFF);
    CHECK_OK (zmq_socket_monitor (s, "inproc://monitor-bits", ZMQ_EVENT_ALL));
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
