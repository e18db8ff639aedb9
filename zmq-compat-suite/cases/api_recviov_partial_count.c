/* behaviour: zmq_recviov stops at *count parts, leaving RCVMORE set and the rest of the message readable */
#include "testutil.h"
#include <sys/uio.h>

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    CHECK_OK (zmq_bind (a, "inproc://api-iov2"));
    CHECK_OK (zmq_connect (b, "inproc://api-iov2"));
    send_str (b, "a", ZMQ_SNDMORE);
    send_str (b, "b", ZMQ_SNDMORE);
    send_str (b, "c", 0);

    struct iovec in[2];
    size_t count = 2;
    CHECK_EQ_INT (zmq_recviov (a, in, &count, 0), 2);
    CHECK_EQ_INT (count, 2);
    CHECK (in[0].iov_len == 1 && *(char *) in[0].iov_base == 'a');
    CHECK (in[1].iov_len == 1 && *(char *) in[1].iov_base == 'b');
    free (in[0].iov_base);
    free (in[1].iov_base);
    CHECK_EQ_INT (get_int (a, ZMQ_RCVMORE), 1);
    recv_str_eq (a, "c", 0);
    CHECK_EQ_INT (get_int (a, ZMQ_RCVMORE), 0);

    /* Nothing waiting: EAGAIN with DONTWAIT, count 0. */
    count = 2;
    CHECK_ERR (zmq_recviov (a, in, &count, ZMQ_DONTWAIT), EAGAIN);
    CHECK_EQ_INT (count, 0);

    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
