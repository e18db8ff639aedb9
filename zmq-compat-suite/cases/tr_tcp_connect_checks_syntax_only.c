/* behaviour: zmq_connect over tcp checks only the address's syntax (a port that does not resolve, such as 65536, or a broken [v6 is accepted and fails at each attempt); bind reads the port with atoi (":-1" is port 65535, ":65536" and ":abc" are EINVAL) */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && s);
    set_int (s, ZMQ_LINGER, 0);
    CHECK_OK (zmq_connect (s, "tcp://127.0.0.1:65536"));
    CHECK_OK (zmq_connect (s, "tcp://[::1"));
    CHECK_OK (zmq_connect (s, "tcp://:5555"));
    CHECK_OK (zmq_connect (s, "tcp://127.0.0.1:0"));
    CHECK_ERR (zmq_connect (s, "tcp://127.0.0.1:*"), EINVAL);
    CHECK_ERR (zmq_connect (s, "tcp://127.0.0.1:"), EINVAL);
    CHECK_ERR (zmq_connect (s, "tcp://127.0.0.1:abc"), EINVAL);
    CHECK_ERR (zmq_connect (s, "tcp://*:5555"), EINVAL);
    CHECK_ERR (zmq_connect (s, "tcp://a host:5555"), EINVAL);
    /* Accepted connects end like any other. */
    CHECK_OK (zmq_disconnect (s, "tcp://127.0.0.1:65536"));

    void *b = zmq_socket (ctx, ZMQ_PULL);
    CHECK (b);
    set_int (b, ZMQ_LINGER, 0);
    CHECK_ERR (zmq_bind (b, "tcp://127.0.0.1:65536"), EINVAL);
    CHECK_ERR (zmq_bind (b, "tcp://127.0.0.1:abc"), EINVAL);
    if (zmq_bind (b, "tcp://127.0.0.1:-1") == 0) {
        char ep[64];
        size_t len = sizeof ep;
        CHECK_OK (zmq_getsockopt (b, ZMQ_LAST_ENDPOINT, ep, &len));
        CHECK (strcmp (ep, "tcp://127.0.0.1:65535") == 0);
    } else
        /* only when something else here holds port 65535 */
        CHECK_EQ_INT (zmq_errno (), EADDRINUSE);
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
