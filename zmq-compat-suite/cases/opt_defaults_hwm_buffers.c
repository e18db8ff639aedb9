/* behaviour: SNDHWM and RCVHWM default to 1000, SNDBUF and RCVBUF to -1, MAXMSGSIZE to -1 (int64) */
#include "testutil.h"
#include <stdint.h>

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    const int types[] = {ZMQ_PAIR, ZMQ_PUB, ZMQ_SUB, ZMQ_DEALER, ZMQ_ROUTER,
                         ZMQ_PUSH, ZMQ_PULL};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        void *s = zmq_socket (ctx, types[i]);
        CHECK (s);
        CHECK_EQ_INT (get_int (s, ZMQ_SNDHWM), 1000);
        CHECK_EQ_INT (get_int (s, ZMQ_RCVHWM), 1000);
        CHECK_EQ_INT (get_int (s, ZMQ_SNDBUF), -1);
        CHECK_EQ_INT (get_int (s, ZMQ_RCVBUF), -1);
        int64_t mms = 0;
        size_t l = sizeof mms;
        CHECK_OK (zmq_getsockopt (s, ZMQ_MAXMSGSIZE, &mms, &l));
        CHECK_EQ_INT (l, sizeof (int64_t));
        CHECK_EQ_INT (mms, -1);
        CHECK_OK (zmq_close (s));
    }
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
