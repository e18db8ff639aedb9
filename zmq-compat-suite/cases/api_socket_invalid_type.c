/* behaviour: zmq_socket with an unknown socket type returns NULL with EINVAL */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    const int bad[] = {-1, 21, 99, 1000};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        errno = 0;
        void *s = zmq_socket (ctx, bad[i]);
        if (s != NULL)
            FAIL ("zmq_socket(type %d) succeeded", bad[i]);
        CHECK_EQ_INT (zmq_errno (), EINVAL);
    }
    /* The context is still usable afterwards. */
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (s);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
