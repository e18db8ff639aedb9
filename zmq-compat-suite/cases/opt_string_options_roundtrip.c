/* behaviour: string options (ZAP_DOMAIN, SOCKS_PROXY, PLAIN_USERNAME/PASSWORD) read back NUL-terminated with the length including the NUL */
#include "testutil.h"

static void roundtrip (void *s, int opt, const char *value)
{
    CHECK_OK (zmq_setsockopt (s, opt, value, strlen (value)));
    char buf[300];
    memset (buf, 'X', sizeof buf);
    size_t l = sizeof buf;
    CHECK_OK (zmq_getsockopt (s, opt, buf, &l));
    if (l != strlen (value) + 1 || strcmp (buf, value) != 0)
        FAIL ("option %d: set '%s', read '%.*s' (size %zu)", opt, value,
              (int) l, buf, l);
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && s);
    roundtrip (s, ZMQ_ZAP_DOMAIN, "my-domain");
    roundtrip (s, ZMQ_SOCKS_PROXY, "127.0.0.1:1080");
    roundtrip (s, ZMQ_PLAIN_USERNAME, "admin");
    roundtrip (s, ZMQ_PLAIN_PASSWORD, "secret");
    /* SOCKS_PROXY can be cleared with NULL/0. */
    CHECK_OK (zmq_setsockopt (s, ZMQ_SOCKS_PROXY, NULL, 0));
    char buf[64];
    size_t l = sizeof buf;
    CHECK_OK (zmq_getsockopt (s, ZMQ_SOCKS_PROXY, buf, &l));
    CHECK_EQ_INT (l, 1);
    /* ZAP_DOMAIN is limited to 255 bytes. */
    char big[300];
    memset (big, 'd', sizeof big);
    CHECK_ERR (zmq_setsockopt (s, ZMQ_ZAP_DOMAIN, big, 256), EINVAL);
    CHECK_OK (zmq_setsockopt (s, ZMQ_ZAP_DOMAIN, big, 255));
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
