/* behaviour: ZMQ_EVENTS has POLLIN while messages remain queued and loses it once they are all read; POLLOUT follows the ability to send */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    CHECK_EQ_INT (get_int (a, ZMQ_EVENTS) & ZMQ_POLLIN, 0);
    CHECK_OK (zmq_bind (a, "inproc://poll-events"));
    CHECK_OK (zmq_connect (b, "inproc://poll-events"));
    CHECK (get_int (b, ZMQ_EVENTS) & ZMQ_POLLOUT);
    send_str (b, "1", 0);
    send_str (b, "2", 0);
    CHECK (get_int (a, ZMQ_EVENTS) & ZMQ_POLLIN);
    recv_str_eq (a, "1", 0);
    CHECK (get_int (a, ZMQ_EVENTS) & ZMQ_POLLIN);
    recv_str_eq (a, "2", 0);
    CHECK_EQ_INT (get_int (a, ZMQ_EVENTS) & ZMQ_POLLIN, 0);
    int v = 0;
    CHECK_ERR (zmq_setsockopt (a, ZMQ_EVENTS, &v, sizeof v), EINVAL);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
