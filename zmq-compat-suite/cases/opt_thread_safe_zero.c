/* behaviour: ZMQ_THREAD_SAFE reads 0 for every stable socket type and cannot be set */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    for (int t = ZMQ_PAIR; t <= ZMQ_STREAM; t++) {
        void *s = zmq_socket (ctx, t);
        CHECK (s);
        CHECK_EQ_INT (get_int (s, ZMQ_THREAD_SAFE), 0);
        int v = 1;
        CHECK_ERR (zmq_setsockopt (s, ZMQ_THREAD_SAFE, &v, sizeof v), EINVAL);
        CHECK_OK (zmq_close (s));
    }
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
