/* behaviour: ZMQ_RCVMORE is 0 before any receive, 1 while more frames of the current message follow, 0 after the last; it is read-only */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    CHECK_OK (zmq_bind (a, "inproc://opt-rcvmore"));
    CHECK_OK (zmq_connect (b, "inproc://opt-rcvmore"));
    CHECK_EQ_INT (get_int (a, ZMQ_RCVMORE), 0);
    send_str (b, "1", ZMQ_SNDMORE);
    send_str (b, "2", 0);
    send_str (b, "single", 0);
    recv_str_eq (a, "1", 0);
    CHECK_EQ_INT (get_int (a, ZMQ_RCVMORE), 1);
    recv_str_eq (a, "2", 0);
    CHECK_EQ_INT (get_int (a, ZMQ_RCVMORE), 0);
    recv_str_eq (a, "single", 0);
    CHECK_EQ_INT (get_int (a, ZMQ_RCVMORE), 0);
    int v = 1;
    CHECK_ERR (zmq_setsockopt (a, ZMQ_RCVMORE, &v, sizeof v), EINVAL);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
