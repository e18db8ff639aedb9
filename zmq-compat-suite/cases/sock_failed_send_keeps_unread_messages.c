/* behaviour: after the peer closed, a send that fails (EAGAIN) leaves the messages the peer sent before closing readable (PAIR and DEALER, inproc and tcp) */
#include "testutil.h"

static void check (void *ctx, int type, const char *transport)
{
    char ep[256], buf[16];
    void *reader = zmq_socket (ctx, type);
    void *peer = zmq_socket (ctx, type);
    CHECK (reader && peer);
    set_int (reader, ZMQ_LINGER, 0);
    set_int (reader, ZMQ_RCVTIMEO, 2000);
    if (strcmp (transport, "tcp") == 0)
        bind_tcp_ephemeral (reader, ep, sizeof ep);
    else {
        snprintf (ep, sizeof ep, "inproc://unread-%d", type);
        CHECK_OK (zmq_bind (reader, ep));
    }
    CHECK_OK (zmq_connect (peer, ep));
    CHECK_EQ_INT (zmq_send (peer, "one", 3, 0), 3);
    CHECK_EQ_INT (zmq_send (peer, "two", 3, 0), 3);
    CHECK_EQ_INT (zmq_recv (reader, buf, sizeof buf, 0), 3);
    CHECK (memcmp (buf, "one", 3) == 0);
    /* "two" has arrived (tcp: give it time), then the peer goes. */
    msleep (200);
    CHECK_OK (zmq_close (peer));
    msleep (300);
    /* No peer takes it now. */
    CHECK_ERR (zmq_send (reader, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    if (zmq_recv (reader, buf, sizeof buf, 0) != 3)
        FAIL ("%s over %s: the message sent before the peer closed was lost "
              "after a failed send (errno %d)",
              type == ZMQ_PAIR ? "PAIR" : "DEALER", transport, zmq_errno ());
    CHECK (memcmp (buf, "two", 3) == 0);
    CHECK_OK (zmq_close (reader));
}

int main (void)
{
    test_deadline (30);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    check (ctx, ZMQ_PAIR, "inproc");
    check (ctx, ZMQ_PAIR, "tcp");
    check (ctx, ZMQ_DEALER, "inproc");
    check (ctx, ZMQ_DEALER, "tcp");
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
