/* behaviour: zmq_getsockopt of a string/binary option into a buffer too small for it (string + NUL) fails with EINVAL */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && s);
    CHECK_OK (zmq_setsockopt (s, ZMQ_ROUTING_ID, "abcdef", 6));
    char buf[64];
    size_t l = 5;
    CHECK_ERR (zmq_getsockopt (s, ZMQ_ROUTING_ID, buf, &l), EINVAL);
    l = 6;
    CHECK_OK (zmq_getsockopt (s, ZMQ_ROUTING_ID, buf, &l));
    CHECK_EQ_INT (l, 6);

    CHECK_OK (zmq_bind (s, "inproc://opt-small-buffer"));
    const char *ep = "inproc://opt-small-buffer";
    l = strlen (ep); /* no room for the NUL */
    CHECK_ERR (zmq_getsockopt (s, ZMQ_LAST_ENDPOINT, buf, &l), EINVAL);
    l = strlen (ep) + 1;
    CHECK_OK (zmq_getsockopt (s, ZMQ_LAST_ENDPOINT, buf, &l));
    CHECK_EQ_INT (l, strlen (ep) + 1);
    CHECK (strcmp (buf, ep) == 0);

    CHECK_OK (zmq_setsockopt (s, ZMQ_ZAP_DOMAIN, "global", 6));
    l = 6;
    CHECK_ERR (zmq_getsockopt (s, ZMQ_ZAP_DOMAIN, buf, &l), EINVAL);
    l = sizeof buf;
    CHECK_OK (zmq_getsockopt (s, ZMQ_ZAP_DOMAIN, buf, &l));
    CHECK_EQ_INT (l, 7);
    CHECK (strcmp (buf, "global") == 0);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
