/* behaviour: zmq_poll with timeout 0 and nothing ready returns 0 at once with revents cleared */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    CHECK (ctx && s);
    CHECK_OK (zmq_bind (s, "inproc://poll-zero"));
    zmq_pollitem_t item = {s, 0, ZMQ_POLLIN, (short) 0x7fff};
    long long t0 = now_ms ();
    for (int i = 0; i < 100; i++)
        CHECK_EQ_INT (zmq_poll (&item, 1, 0), 0);
    CHECK_EQ_INT (item.revents, 0);
    long long took = now_ms () - t0;
    if (took > 2000)
        FAIL ("100 non-blocking polls took %lld ms", took);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
