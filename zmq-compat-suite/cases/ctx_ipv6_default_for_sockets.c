/* behaviour: the context's ZMQ_IPV6 setting becomes the ZMQ_IPV6 default of sockets created afterwards */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *s0 = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (s0);
    CHECK_EQ_INT (get_int (s0, ZMQ_IPV6), 0);
    CHECK_OK (zmq_ctx_set (ctx, ZMQ_IPV6, 1));
    void *s1 = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (s1);
    CHECK_EQ_INT (get_int (s1, ZMQ_IPV6), 1);
    CHECK_EQ_INT (get_int (s1, ZMQ_IPV4ONLY), 0);
    CHECK_EQ_INT (get_int (s0, ZMQ_IPV6), 0);
    CHECK_OK (zmq_close (s0));
    CHECK_OK (zmq_close (s1));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
