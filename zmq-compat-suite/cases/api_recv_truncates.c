/* behaviour: zmq_recv into a short buffer truncates the data but returns the full frame size */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    CHECK_OK (zmq_bind (a, "inproc://api-trunc"));
    CHECK_OK (zmq_connect (b, "inproc://api-trunc"));
    send_str (b, "0123456789", 0);
    send_str (b, "abc", 0);
    char buf[8];
    memset (buf, 'X', sizeof buf);
    CHECK_EQ_INT (zmq_recv (a, buf, 4, 0), 10);
    CHECK (memcmp (buf, "0123XXXX", 8) == 0);
    /* A NULL buffer is allowed with length 0: the frame is consumed. */
    CHECK_EQ_INT (zmq_recv (a, NULL, 0, 0), 3);
    CHECK_ERR (zmq_recv (a, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
