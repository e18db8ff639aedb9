/* behaviour: zmq_setsockopt/zmq_getsockopt of an unknown or unused option number fail with EINVAL */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && s);
    int v = 1;
    size_t l = sizeof v;
    const int bad[] = {-1, 0, 1, 2, 3, 10, 20, 26, 29, 30, 67, 9999};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 1;
        if (zmq_setsockopt (s, bad[i], &v, sizeof v) != -1
            || zmq_errno () != EINVAL)
            FAIL ("setsockopt(%d) did not fail with EINVAL", bad[i]);
        l = sizeof v;
        if (zmq_getsockopt (s, bad[i], &v, &l) != -1
            || zmq_errno () != EINVAL)
            FAIL ("getsockopt(%d) did not fail with EINVAL", bad[i]);
    }
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
