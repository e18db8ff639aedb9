/* behaviour: empty string option values as libzmq takes them: ZAP_DOMAIN refuses an empty value (NULL or not), PLAIN_USERNAME/PASSWORD reset with NULL but refuse a non-NULL empty string; CONNECT_ROUTING_ID is taken by ROUTER, STREAM and REP only */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && s);
    CHECK_ERR (zmq_setsockopt (s, ZMQ_ZAP_DOMAIN, "", 0), EINVAL);
    CHECK_ERR (zmq_setsockopt (s, ZMQ_ZAP_DOMAIN, NULL, 0), EINVAL);
    CHECK_OK (zmq_setsockopt (s, ZMQ_ZAP_DOMAIN, "global", 6));

    CHECK_OK (zmq_setsockopt (s, ZMQ_PLAIN_USERNAME, "admin", 5));
    CHECK_EQ_INT (get_int (s, ZMQ_MECHANISM), ZMQ_PLAIN);
    CHECK_ERR (zmq_setsockopt (s, ZMQ_PLAIN_USERNAME, "", 0), EINVAL);
    CHECK_ERR (zmq_setsockopt (s, ZMQ_PLAIN_PASSWORD, "", 0), EINVAL);
    CHECK_EQ_INT (get_int (s, ZMQ_MECHANISM), ZMQ_PLAIN);
    CHECK_OK (zmq_setsockopt (s, ZMQ_PLAIN_PASSWORD, NULL, 0));
    CHECK_EQ_INT (get_int (s, ZMQ_MECHANISM), ZMQ_NULL);
    CHECK_OK (zmq_close (s));

    static const int takes[] = {ZMQ_ROUTER, ZMQ_STREAM, ZMQ_REP};
    static const int refuses[] = {ZMQ_PAIR, ZMQ_PUB,  ZMQ_SUB,  ZMQ_REQ,
                                  ZMQ_DEALER, ZMQ_PULL, ZMQ_PUSH, ZMQ_XPUB,
                                  ZMQ_XSUB};
    for (size_t i = 0; i < sizeof takes / sizeof takes[0]; i++) {
        s = zmq_socket (ctx, takes[i]);
        CHECK (s);
        CHECK_OK (zmq_setsockopt (s, ZMQ_CONNECT_ROUTING_ID, "peer", 4));
        CHECK_OK (zmq_close (s));
    }
    for (size_t i = 0; i < sizeof refuses / sizeof refuses[0]; i++) {
        s = zmq_socket (ctx, refuses[i]);
        CHECK (s);
        CHECK_ERR (zmq_setsockopt (s, ZMQ_CONNECT_ROUTING_ID, "peer", 4),
                   EINVAL);
        CHECK_OK (zmq_close (s));
    }
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
