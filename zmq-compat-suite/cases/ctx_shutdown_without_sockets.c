/* behaviour: zmq_ctx_shutdown on a context that never had a socket succeeds, then zmq_socket fails with ETERM and zmq_ctx_term returns */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    CHECK_OK (zmq_ctx_shutdown (ctx));
    errno = 0;
    CHECK (zmq_socket (ctx, ZMQ_PUB) == NULL);
    CHECK_EQ_INT (zmq_errno (), ETERM);
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
