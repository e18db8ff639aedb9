/* behaviour: zmq_send_const sends a constant buffer without copying semantics visible to the receiver, returning its size */
#include "testutil.h"

static const char payload[] = "constant data that outlives the send call";

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    char ep[256];
    bind_tcp_ephemeral (a, ep, sizeof ep);
    CHECK_OK (zmq_connect (b, ep));
    CHECK_EQ_INT (zmq_send_const (b, payload, 5, ZMQ_SNDMORE), 5);
    CHECK_EQ_INT (zmq_send_const (b, payload, sizeof payload, 0),
                  (int) sizeof payload);
    CHECK_EQ_INT (zmq_send_const (b, NULL, 0, 0), 0);
    char buf[128];
    CHECK_EQ_INT (zmq_recv (a, buf, sizeof buf, 0), 5);
    CHECK (memcmp (buf, payload, 5) == 0);
    CHECK_EQ_INT (get_int (a, ZMQ_RCVMORE), 1);
    CHECK_EQ_INT (zmq_recv (a, buf, sizeof buf, 0), (int) sizeof payload);
    CHECK (memcmp (buf, payload, sizeof payload) == 0);
    CHECK_EQ_INT (zmq_recv (a, buf, sizeof buf, 0), 0);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
