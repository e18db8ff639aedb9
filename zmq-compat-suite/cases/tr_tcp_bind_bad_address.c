/* behaviour: tcp bind rejects an unknown interface (ENODEV), a non-local address (EADDRNOTAVAIL) and a missing or non-numeric port (EINVAL). */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *s = zmq_socket (ctx, ZMQ_PULL);
    CHECK (s);
    CHECK_ERR (zmq_bind (s, "tcp://no-such-interface-zcs:5555"), ENODEV);
    CHECK_ERR (zmq_bind (s, "tcp://999.1.1.1:*"), ENODEV);
    CHECK_ERR (zmq_bind (s, "tcp://192.0.2.1:*"), EADDRNOTAVAIL);
    CHECK_ERR (zmq_bind (s, "tcp://127.0.0.1"), EINVAL);
    CHECK_ERR (zmq_bind (s, "tcp://127.0.0.1:abc"), EINVAL);
    CHECK_ERR (zmq_bind (s, "tcp://"), EINVAL);
    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
