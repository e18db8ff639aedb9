/* behaviour: zmq_poll with a positive timeout and nothing ready waits about that long (milliseconds) and returns 0 */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    CHECK (ctx && s);
    CHECK_OK (zmq_bind (s, "inproc://poll-timeout"));
    zmq_pollitem_t item = {s, 0, ZMQ_POLLIN, 0};
    long long t0 = now_ms ();
    CHECK_EQ_INT (zmq_poll (&item, 1, 300), 0);
    long long took = now_ms () - t0;
    if (took < 250)
        FAIL ("zmq_poll(300) returned after %lld ms", took);
    if (took > 10000)
        FAIL ("zmq_poll(300) took %lld ms: timeout unit is not ms?", took);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
