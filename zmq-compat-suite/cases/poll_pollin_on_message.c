/* behaviour: zmq_poll reports POLLIN on a socket once a message is queued, and not before */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PULL);
    void *b = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (ctx && a && b);
    char ep[256];
    bind_tcp_ephemeral (a, ep, sizeof ep);
    CHECK_OK (zmq_connect (b, ep));
    zmq_pollitem_t item = {a, 0, ZMQ_POLLIN, 0};
    CHECK_EQ_INT (zmq_poll (&item, 1, 0), 0);
    CHECK_EQ_INT (item.revents, 0);
    send_str (b, "wake", 0);
    CHECK_EQ_INT (zmq_poll (&item, 1, 5000), 1);
    CHECK_EQ_INT (item.revents, ZMQ_POLLIN);
    /* Still readable until the message is taken. */
    CHECK_EQ_INT (zmq_poll (&item, 1, 0), 1);
    recv_str_eq (a, "wake", ZMQ_DONTWAIT);
    CHECK_EQ_INT (zmq_poll (&item, 1, 0), 0);
    CHECK_EQ_INT (item.revents, 0);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
