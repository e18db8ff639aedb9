/* behaviour: zmq_send returns the number of bytes queued, including 0 for an empty frame sent from a NULL buffer */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    CHECK_OK (zmq_bind (a, "inproc://api-sendsize"));
    CHECK_OK (zmq_connect (b, "inproc://api-sendsize"));
    CHECK_EQ_INT (zmq_send (b, "abcdef", 6, 0), 6);
    CHECK_EQ_INT (zmq_send (b, NULL, 0, 0), 0);
    char big[70000];
    memset (big, 7, sizeof big);
    CHECK_EQ_INT (zmq_send (b, big, sizeof big, 0), (int) sizeof big);
    char buf[16];
    CHECK_EQ_INT (zmq_recv (a, buf, sizeof buf, 0), 6);
    CHECK_EQ_INT (zmq_recv (a, buf, sizeof buf, 0), 0);
    CHECK_EQ_INT (zmq_recv (a, buf, sizeof buf, 0), (int) sizeof big);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
