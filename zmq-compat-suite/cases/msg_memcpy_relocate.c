/* behaviour: a zmq_msg_t moved to another address with memcpy stays valid (size, data, send, close) for small and large messages */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    CHECK_OK (zmq_bind (a, "inproc://msg-memcpy"));
    CHECK_OK (zmq_connect (b, "inproc://msg-memcpy"));
    const size_t sizes[] = {5, 20, 500};
    for (size_t i = 0; i < 3; i++) {
        zmq_msg_t *orig = malloc (sizeof (zmq_msg_t));
        CHECK (orig);
        CHECK_OK (zmq_msg_init_size (orig, sizes[i]));
        for (size_t j = 0; j < sizes[i]; j++)
            ((char *) zmq_msg_data (orig))[j] = (char) ('A' + j % 26);
        zmq_msg_t moved;
        memcpy (&moved, orig, sizeof moved);
        memset (orig, 0xEE, sizeof (zmq_msg_t)); /* old storage is garbage */
        free (orig);
        CHECK_EQ_INT (zmq_msg_size (&moved), sizes[i]);
        for (size_t j = 0; j < sizes[i]; j++)
            if (((char *) zmq_msg_data (&moved))[j] != (char) ('A' + j % 26))
                FAIL ("byte %zu of a moved %zu-byte message is wrong", j,
                      sizes[i]);
        CHECK_EQ_INT (zmq_msg_send (&moved, b, 0), sizes[i]);
        CHECK_OK (zmq_msg_close (&moved));

        /* The same for a received message. */
        zmq_msg_t r;
        CHECK_OK (zmq_msg_init (&r));
        CHECK_EQ_INT (zmq_msg_recv (&r, a, 0), sizes[i]);
        zmq_msg_t r2;
        memcpy (&r2, &r, sizeof r2);
        memset (&r, 0, sizeof r);
        CHECK_EQ_INT (zmq_msg_size (&r2), sizes[i]);
        CHECK (((char *) zmq_msg_data (&r2))[sizes[i] - 1]
               == (char) ('A' + (sizes[i] - 1) % 26));
        CHECK_OK (zmq_msg_close (&r2));
    }
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
