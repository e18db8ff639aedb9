/* behaviour: zmq_socket creates every stable socket type (PAIR..STREAM) and ZMQ_TYPE reports it */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    const int types[] = {ZMQ_PAIR,   ZMQ_PUB,  ZMQ_SUB,  ZMQ_REQ,
                         ZMQ_REP,    ZMQ_DEALER, ZMQ_ROUTER, ZMQ_PULL,
                         ZMQ_PUSH,   ZMQ_XPUB, ZMQ_XSUB, ZMQ_STREAM};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        void *s = zmq_socket (ctx, types[i]);
        if (!s)
            FAIL ("zmq_socket(%d) failed: %s", types[i],
                  zmq_strerror (zmq_errno ()));
        CHECK_EQ_INT (get_int (s, ZMQ_TYPE), types[i]);
        CHECK_OK (zmq_close (s));
    }
    CHECK_EQ_INT (ZMQ_XREQ, ZMQ_DEALER);
    CHECK_EQ_INT (ZMQ_XREP, ZMQ_ROUTER);
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
