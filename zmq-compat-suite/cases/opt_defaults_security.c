/* behaviour: MECHANISM is NULL (0), PLAIN_SERVER 0, CURVE_SERVER 0, and ZAP_DOMAIN, PLAIN_USERNAME, PLAIN_PASSWORD are empty strings by default */
#include "testutil.h"

static void expect_empty_string (void *s, int opt)
{
    char buf[64];
    memset (buf, 'X', sizeof buf);
    size_t l = sizeof buf;
    if (zmq_getsockopt (s, opt, buf, &l) != 0)
        FAIL ("getsockopt(%d) failed: %s", opt, zmq_strerror (zmq_errno ()));
    if (l != 1 || buf[0] != 0)
        FAIL ("option %d: expected empty string (size 1), got size %zu", opt,
              l);
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_REP);
    CHECK (ctx && s);
    CHECK_EQ_INT (get_int (s, ZMQ_MECHANISM), ZMQ_NULL);
    CHECK_EQ_INT (ZMQ_NULL, 0);
    CHECK_EQ_INT (get_int (s, ZMQ_PLAIN_SERVER), 0);
    if (zmq_has ("curve"))
        CHECK_EQ_INT (get_int (s, ZMQ_CURVE_SERVER), 0);
    expect_empty_string (s, ZMQ_ZAP_DOMAIN);
    expect_empty_string (s, ZMQ_PLAIN_USERNAME);
    expect_empty_string (s, ZMQ_PLAIN_PASSWORD);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
