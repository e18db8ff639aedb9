/* behaviour: without ZMQ_IPV6 (off by default) a socket cannot bind an IPv6 address: bind tcp://[::1] fails with ENODEV. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    CHECK_EQ_INT (get_int (pull, ZMQ_IPV6), 0);
    CHECK_ERR (zmq_bind (pull, "tcp://[::1]:*"), ENODEV);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
