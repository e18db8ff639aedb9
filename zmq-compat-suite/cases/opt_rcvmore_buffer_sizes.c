/* behaviour: ZMQ_RCVMORE answers in any buffer of at least an int (the int first, the rest zeroed, length set to sizeof (int)), refuses a smaller one with EINVAL, and fails with ETERM once the socket has seen the context shut down */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *a, *b;
    inproc_pair (ctx, "opt-rcvmore-sizes", &a, &b);
    send_str (b, "head", ZMQ_SNDMORE);
    send_str (b, "tail", 0);
    recv_str_eq (a, "head", 0);

    /* A larger buffer: the int, then zeros; the length becomes an int's. */
    unsigned char big[16];
    memset (big, 0xAA, sizeof big);
    size_t len = sizeof big;
    CHECK_OK (zmq_getsockopt (a, ZMQ_RCVMORE, big, &len));
    CHECK_EQ_INT ((int) len, (int) sizeof (int));
    int more;
    memcpy (&more, big, sizeof more);
    CHECK_EQ_INT (more, 1);
    for (size_t i = sizeof (int); i < sizeof big; i++)
        CHECK_EQ_INT (big[i], 0);

    /* A smaller one: EINVAL, the buffer and the length untouched. */
    unsigned char small[2] = {0x55, 0x55};
    len = sizeof small;
    CHECK_ERR (zmq_getsockopt (a, ZMQ_RCVMORE, small, &len), EINVAL);
    CHECK_EQ_INT ((int) len, (int) sizeof small);
    CHECK_EQ_INT (small[0], 0x55);
    CHECK_EQ_INT (small[1], 0x55);

    /* Asking does not change it: still 1 until the next frame. */
    CHECK_EQ_INT (get_int (a, ZMQ_RCVMORE), 1);
    recv_str_eq (a, "tail", 0);
    CHECK_EQ_INT (get_int (a, ZMQ_RCVMORE), 0);

    /* After the shutdown, once a call has met it, ETERM. */
    CHECK_OK (zmq_ctx_shutdown (ctx));
    char buf[8];
    CHECK_ERR (zmq_recv (a, buf, sizeof buf, ZMQ_DONTWAIT), ETERM);
    len = sizeof more;
    CHECK_ERR (zmq_getsockopt (a, ZMQ_RCVMORE, &more, &len), ETERM);

    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
