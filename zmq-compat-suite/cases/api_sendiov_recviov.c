/* behaviour: zmq_sendiov sends an iovec array as one multipart message and zmq_recviov returns its parts in malloc'd buffers */
#include "testutil.h"
#include <sys/uio.h>

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    CHECK_OK (zmq_bind (a, "inproc://api-iov"));
    CHECK_OK (zmq_connect (b, "inproc://api-iov"));

    char p0[] = "first", p1[] = "", p2[] = "third part";
    struct iovec out[3] = {{p0, 5}, {p1, 0}, {p2, 10}};
    /* SNDMORE is cleared on the last part: the message is complete. */
    CHECK_OK (zmq_sendiov (b, out, 3, ZMQ_SNDMORE));
    send_str (b, "next", 0);

    struct iovec in[8];
    size_t count = 8;
    int n = zmq_recviov (a, in, &count, 0);
    CHECK_EQ_INT (n, 3);
    CHECK_EQ_INT (count, 3);
    CHECK_EQ_INT (in[0].iov_len, 5);
    CHECK (memcmp (in[0].iov_base, "first", 5) == 0);
    CHECK_EQ_INT (in[1].iov_len, 0);
    CHECK_EQ_INT (in[2].iov_len, 10);
    CHECK (memcmp (in[2].iov_base, "third part", 10) == 0);
    CHECK_EQ_INT (get_int (a, ZMQ_RCVMORE), 0);
    for (size_t i = 0; i < count; i++)
        free (in[i].iov_base);
    recv_str_eq (a, "next", 0);

    /* Invalid arguments. */
    CHECK_ERR (zmq_sendiov (b, NULL, 1, 0), EINVAL);
    CHECK_ERR (zmq_sendiov (b, out, 0, 0), EINVAL);
    count = 0;
    CHECK_ERR (zmq_recviov (a, in, &count, 0), EINVAL);
    CHECK_ERR (zmq_recviov (a, in, NULL, 0), EINVAL);

    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
