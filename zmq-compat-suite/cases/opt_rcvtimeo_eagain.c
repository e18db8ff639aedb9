/* behaviour: with ZMQ_RCVTIMEO set, zmq_recv with nothing to read fails with EAGAIN after about the timeout */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    CHECK (ctx && s);
    CHECK_OK (zmq_bind (s, "inproc://opt-rcvtimeo"));
    set_int (s, ZMQ_RCVTIMEO, 300);
    CHECK_EQ_INT (get_int (s, ZMQ_RCVTIMEO), 300);
    char buf[8];
    long long t0 = now_ms ();
    CHECK_ERR (zmq_recv (s, buf, sizeof buf, 0), EAGAIN);
    long long took = now_ms () - t0;
    if (took < 250)
        FAIL ("recv gave up after %lld ms with RCVTIMEO 300", took);
    /* zmq_msg_recv honours it too. */
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    t0 = now_ms ();
    CHECK_ERR (zmq_msg_recv (&m, s, 0), EAGAIN);
    took = now_ms () - t0;
    if (took < 250)
        FAIL ("msg_recv gave up after %lld ms with RCVTIMEO 300", took);
    CHECK_OK (zmq_msg_close (&m));
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
