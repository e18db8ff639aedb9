/* behaviour: ROUTING_ID is empty (size 0), and LAST_ENDPOINT, SOCKS_PROXY, BINDTODEVICE are empty NUL-terminated strings by default */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && s);
    char buf[300];
    size_t l = sizeof buf;
    CHECK_OK (zmq_getsockopt (s, ZMQ_ROUTING_ID, buf, &l));
    CHECK_EQ_INT (l, 0);
    const int strs[] = {ZMQ_LAST_ENDPOINT, ZMQ_SOCKS_PROXY, ZMQ_BINDTODEVICE};
    for (size_t i = 0; i < 3; i++) {
        memset (buf, 'X', sizeof buf);
        l = sizeof buf;
        if (zmq_getsockopt (s, strs[i], buf, &l) != 0)
            FAIL ("getsockopt(%d): %s", strs[i], zmq_strerror (zmq_errno ()));
        if (l != 1 || buf[0] != 0)
            FAIL ("option %d: expected \"\" (size 1), got size %zu", strs[i],
                  l);
    }
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
