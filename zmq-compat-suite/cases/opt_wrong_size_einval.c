/* behaviour: int options set or read with a length other than sizeof(int), and 64-bit options with other than 8 bytes, fail with EINVAL */
#include "testutil.h"
#include <stdint.h>

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && s);
    int64_t big = 5;
    int v = 5;
    short sh = 5;
    CHECK_ERR (zmq_setsockopt (s, ZMQ_LINGER, &sh, sizeof sh), EINVAL);
    CHECK_ERR (zmq_setsockopt (s, ZMQ_LINGER, &big, sizeof big), EINVAL);
    CHECK_ERR (zmq_setsockopt (s, ZMQ_SNDHWM, &v, 0), EINVAL);
    CHECK_EQ_INT (get_int (s, ZMQ_LINGER), -1);
    size_t l = sizeof big;
    CHECK_ERR (zmq_getsockopt (s, ZMQ_LINGER, &big, &l), EINVAL);
    l = 2;
    CHECK_ERR (zmq_getsockopt (s, ZMQ_SNDHWM, &v, &l), EINVAL);
    /* 64-bit options need exactly 8 bytes. */
    CHECK_ERR (zmq_setsockopt (s, ZMQ_MAXMSGSIZE, &v, sizeof v), EINVAL);
    CHECK_ERR (zmq_setsockopt (s, ZMQ_AFFINITY, &v, sizeof v), EINVAL);
    l = sizeof v;
    CHECK_ERR (zmq_getsockopt (s, ZMQ_MAXMSGSIZE, &v, &l), EINVAL);
    l = sizeof v;
    CHECK_ERR (zmq_getsockopt (s, ZMQ_AFFINITY, &v, &l), EINVAL);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
