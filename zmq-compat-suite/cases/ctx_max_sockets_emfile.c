/* behaviour: zmq_socket fails with EMFILE once MAX_SOCKETS sockets are open, and succeeds again after one is closed */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    CHECK_OK (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, 5));
    void *s[5];
    for (int i = 0; i < 5; i++) {
        s[i] = zmq_socket (ctx, ZMQ_PAIR);
        if (!s[i])
            FAIL ("socket %d of 5 failed: %s", i, zmq_strerror (zmq_errno ()));
    }
    errno = 0;
    CHECK (zmq_socket (ctx, ZMQ_PAIR) == NULL);
    CHECK_EQ_INT (zmq_errno (), EMFILE);
    CHECK_OK (zmq_close (s[2]));
    /* The slot comes back once the closed socket has been reaped. */
    void *again = NULL;
    long long deadline = now_ms () + 5000;
    while (!again && now_ms () < deadline) {
        again = zmq_socket (ctx, ZMQ_PAIR);
        if (!again) {
            CHECK_EQ_INT (zmq_errno (), EMFILE);
            msleep (10);
        }
    }
    CHECK (again != NULL);
    s[2] = again;
    for (int i = 0; i < 5; i++)
        CHECK_OK (zmq_close (s[i]));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
