/* behaviour: zmq_poll reports POLLOUT on a PUSH only once it has a peer, and always on a PUB */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    CHECK (ctx && push && pub);
    zmq_pollitem_t items[2] = {{push, 0, ZMQ_POLLOUT, 0},
                               {pub, 0, ZMQ_POLLOUT, 0}};
    CHECK_EQ_INT (zmq_poll (items, 2, 0), 1);
    CHECK_EQ_INT (items[0].revents, 0);
    CHECK_EQ_INT (items[1].revents, ZMQ_POLLOUT);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    CHECK_OK (zmq_bind (pull, "inproc://poll-pollout"));
    CHECK_OK (zmq_connect (push, "inproc://poll-pollout"));
    CHECK_EQ_INT (zmq_poll (items, 1, 5000), 1);
    CHECK_EQ_INT (items[0].revents, ZMQ_POLLOUT);
    /* Asking for both reports only what is true. */
    items[0].events = ZMQ_POLLIN | ZMQ_POLLOUT;
    CHECK_EQ_INT (zmq_poll (items, 1, 0), 1);
    CHECK_EQ_INT (items[0].revents, ZMQ_POLLOUT);
    CHECK_OK (zmq_close (push));
    CHECK_OK (zmq_close (pull));
    CHECK_OK (zmq_close (pub));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
