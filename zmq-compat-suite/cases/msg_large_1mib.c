/* behaviour: a 1 MiB message crosses tcp intact, byte for byte */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    const size_t size = 1024 * 1024;
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    char ep[256];
    bind_tcp_ephemeral (a, ep, sizeof ep);
    CHECK_OK (zmq_connect (b, ep));
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init_size (&m, size));
    unsigned char *d = zmq_msg_data (&m);
    for (size_t i = 0; i < size; i++)
        d[i] = (unsigned char) ((i * 2654435761u) >> 13);
    CHECK_EQ_INT (zmq_msg_send (&m, b, 0), size);
    CHECK_OK (zmq_msg_close (&m));
    /* Then a small one, to check framing after the large one. */
    send_str (b, "after", 0);

    CHECK_OK (zmq_msg_init (&m));
    CHECK_EQ_INT (zmq_msg_recv (&m, a, 0), size);
    CHECK_EQ_INT (zmq_msg_size (&m), size);
    d = zmq_msg_data (&m);
    for (size_t i = 0; i < size; i++)
        if (d[i] != (unsigned char) ((i * 2654435761u) >> 13))
            FAIL ("byte %zu differs", i);
    CHECK_OK (zmq_msg_close (&m));
    recv_str_eq (a, "after", 0);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
