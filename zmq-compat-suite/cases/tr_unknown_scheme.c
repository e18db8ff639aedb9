/* behaviour: an endpoint with an unknown transport scheme is refused with EPROTONOSUPPORT by bind, connect and unbind. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (s);
    CHECK_ERR (zmq_bind (s, "foo://bar"), EPROTONOSUPPORT);
    CHECK_ERR (zmq_connect (s, "foo://bar"), EPROTONOSUPPORT);
    CHECK_ERR (zmq_bind (s, "http://127.0.0.1:80"), EPROTONOSUPPORT);
    CHECK_ERR (zmq_unbind (s, "foo://bar"), EPROTONOSUPPORT);
    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
