/* behaviour: the udp transport is refused for stable socket types with ENOCOMPATPROTO. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    int types[4] = {ZMQ_PULL, ZMQ_PUB, ZMQ_SUB, ZMQ_DEALER};
    for (int i = 0; i < 4; i++) {
        void *s = zmq_socket (ctx, types[i]);
        CHECK (s);
        CHECK_ERR (zmq_bind (s, "udp://127.0.0.1:*"), ENOCOMPATPROTO);
        CHECK_ERR (zmq_connect (s, "udp://127.0.0.1:5555"), ENOCOMPATPROTO);
        zmq_close (s);
    }
    zmq_ctx_term (ctx);
    return 0;
}
