/* behaviour: a poll item with events 0 is never reported, even when its socket is readable */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    CHECK_OK (zmq_bind (a, "inproc://poll-events0"));
    CHECK_OK (zmq_connect (b, "inproc://poll-events0"));
    send_str (b, "ignored", 0);
    zmq_pollitem_t item = {a, 0, 0, 0};
    CHECK_EQ_INT (zmq_poll (&item, 1, 200), 0);
    CHECK_EQ_INT (item.revents, 0);
    item.events = ZMQ_POLLIN;
    CHECK_EQ_INT (zmq_poll (&item, 1, 0), 1);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
