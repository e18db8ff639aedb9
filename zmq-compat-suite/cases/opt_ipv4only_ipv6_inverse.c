/* behaviour: ZMQ_IPV4ONLY is the inverse of ZMQ_IPV6: setting either changes the other, and both accept only 0 or 1 */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && s);
    set_int (s, ZMQ_IPV6, 1);
    CHECK_EQ_INT (get_int (s, ZMQ_IPV4ONLY), 0);
    set_int (s, ZMQ_IPV4ONLY, 1);
    CHECK_EQ_INT (get_int (s, ZMQ_IPV6), 0);
    set_int (s, ZMQ_IPV4ONLY, 0);
    CHECK_EQ_INT (get_int (s, ZMQ_IPV6), 1);
    set_int (s, ZMQ_IPV6, 0);
    CHECK_EQ_INT (get_int (s, ZMQ_IPV4ONLY), 1);
    int v = 2;
    CHECK_ERR (zmq_setsockopt (s, ZMQ_IPV6, &v, sizeof v), EINVAL);
    CHECK_ERR (zmq_setsockopt (s, ZMQ_IPV4ONLY, &v, sizeof v), EINVAL);
    CHECK_EQ_INT (get_int (s, ZMQ_IPV6), 0);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
