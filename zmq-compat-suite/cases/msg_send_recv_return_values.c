/* behaviour: zmq_msg_send and zmq_msg_recv return the frame size, and a sent message is left empty */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    CHECK_OK (zmq_bind (a, "inproc://msg-retvals"));
    CHECK_OK (zmq_connect (b, "inproc://msg-retvals"));
    const size_t sizes[] = {0, 1, 40, 5000};
    for (size_t i = 0; i < 4; i++) {
        zmq_msg_t m;
        CHECK_OK (zmq_msg_init_size (&m, sizes[i]));
        memset (zmq_msg_data (&m), 'r', sizes[i]);
        CHECK_EQ_INT (zmq_msg_send (&m, b, 0), sizes[i]);
        CHECK_EQ_INT (zmq_msg_size (&m), 0);
        CHECK_OK (zmq_msg_close (&m));
        CHECK_OK (zmq_msg_init (&m));
        CHECK_EQ_INT (zmq_msg_recv (&m, a, 0), sizes[i]);
        CHECK_EQ_INT (zmq_msg_size (&m), sizes[i]);
        CHECK_OK (zmq_msg_close (&m));
    }
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
