/* behaviour: endpoints without "scheme://" or with an empty address are refused with EINVAL, as is connecting to a wildcard port. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *s = zmq_socket (ctx, ZMQ_PULL);
    CHECK (s);
    const char *bad[] = {"nothing", "tcp:/x", "tcp://", "inproc://", "ipc://"};
    for (int i = 0; i < 5; i++) {
        if (zmq_bind (s, bad[i]) != -1 || zmq_errno () != EINVAL)
            FAIL ("bind '%s': expected EINVAL, got errno %d", bad[i],
                  zmq_errno ());
        if (zmq_connect (s, bad[i]) != -1 || zmq_errno () != EINVAL)
            FAIL ("connect '%s': expected EINVAL, got errno %d", bad[i],
                  zmq_errno ());
    }
    CHECK_ERR (zmq_connect (s, "tcp://127.0.0.1:*"), EINVAL);
    CHECK_ERR (zmq_connect (s, "tcp://127.0.0.1"), EINVAL);
    CHECK_ERR (zmq_unbind (s, "nothing"), EINVAL);
    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
