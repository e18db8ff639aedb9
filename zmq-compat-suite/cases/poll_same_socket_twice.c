/* behaviour: the same socket may appear in several poll items, each reporting its own requested events */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    CHECK_OK (zmq_bind (a, "inproc://poll-twice"));
    CHECK_OK (zmq_connect (b, "inproc://poll-twice"));
    send_str (b, "m", 0);
    zmq_pollitem_t items[2] = {{a, 0, ZMQ_POLLIN, 0}, {a, 0, ZMQ_POLLOUT, 0}};
    CHECK_EQ_INT (zmq_poll (items, 2, 1000), 2);
    CHECK_EQ_INT (items[0].revents, ZMQ_POLLIN);
    CHECK_EQ_INT (items[1].revents, ZMQ_POLLOUT);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
