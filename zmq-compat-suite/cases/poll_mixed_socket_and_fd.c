/* behaviour: zmq_poll over a mix of zmq sockets and plain fds reports each item's readiness separately */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    CHECK_OK (zmq_bind (a, "inproc://poll-mixed"));
    CHECK_OK (zmq_connect (b, "inproc://poll-mixed"));
    int p[2];
    CHECK (pipe (p) == 0);
    zmq_pollitem_t items[2] = {{a, 0, ZMQ_POLLIN, 0},
                               {NULL, p[0], ZMQ_POLLIN, 0}};
    CHECK_EQ_INT (zmq_poll (items, 2, 0), 0);
    CHECK (write (p[1], "y", 1) == 1);
    CHECK_EQ_INT (zmq_poll (items, 2, 1000), 1);
    CHECK_EQ_INT (items[0].revents, 0);
    CHECK_EQ_INT (items[1].revents, ZMQ_POLLIN);
    send_str (b, "msg", 0);
    CHECK_EQ_INT (zmq_poll (items, 2, 1000), 2);
    CHECK_EQ_INT (items[0].revents, ZMQ_POLLIN);
    CHECK_EQ_INT (items[1].revents, ZMQ_POLLIN);
    char c;
    CHECK (read (p[0], &c, 1) == 1);
    CHECK_EQ_INT (zmq_poll (items, 2, 0), 1);
    CHECK_EQ_INT (items[0].revents, ZMQ_POLLIN);
    CHECK_EQ_INT (items[1].revents, 0);
    recv_str_eq (a, "msg", 0);
    close (p[0]);
    close (p[1]);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
