/* behaviour: with ZMQ_SNDTIMEO set, a zmq_send that cannot proceed (PUSH without peers) fails with EAGAIN after about the timeout */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (ctx && s);
    set_int (s, ZMQ_SNDTIMEO, 300);
    CHECK_EQ_INT (get_int (s, ZMQ_SNDTIMEO), 300);
    long long t0 = now_ms ();
    CHECK_ERR (zmq_send (s, "x", 1, 0), EAGAIN);
    long long took = now_ms () - t0;
    if (took < 250)
        FAIL ("send gave up after %lld ms with SNDTIMEO 300", took);
    /* DONTWAIT overrides the timeout. */
    t0 = now_ms ();
    CHECK_ERR (zmq_send (s, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    CHECK (now_ms () - t0 < 250);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
