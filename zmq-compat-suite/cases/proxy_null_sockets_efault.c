/* behaviour: zmq_proxy and zmq_proxy_steerable with a NULL frontend or backend fail at once with EFAULT */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && s);
    CHECK_ERR (zmq_proxy (NULL, s, NULL), EFAULT);
    CHECK_ERR (zmq_proxy (s, NULL, NULL), EFAULT);
    CHECK_ERR (zmq_proxy_steerable (NULL, s, NULL, NULL), EFAULT);
    CHECK_ERR (zmq_proxy_steerable (s, NULL, NULL, NULL), EFAULT);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
