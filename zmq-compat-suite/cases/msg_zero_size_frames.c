/* behaviour: zero-size frames travel over tcp as real frames, alone and inside multipart messages */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    char ep[256];
    bind_tcp_ephemeral (a, ep, sizeof ep);
    CHECK_OK (zmq_connect (b, ep));
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    CHECK_EQ_INT (zmq_msg_send (&m, b, 0), 0);
    CHECK_OK (zmq_msg_init_size (&m, 0));
    CHECK_EQ_INT (zmq_msg_send (&m, b, ZMQ_SNDMORE), 0);
    send_str (b, "mid", ZMQ_SNDMORE);
    CHECK_EQ_INT (zmq_send (b, "", 0, 0), 0);

    CHECK_OK (zmq_msg_init (&m));
    CHECK_EQ_INT (zmq_msg_recv (&m, a, 0), 0);
    CHECK_EQ_INT (zmq_msg_size (&m), 0);
    CHECK_EQ_INT (zmq_msg_more (&m), 0);
    CHECK_EQ_INT (zmq_msg_recv (&m, a, 0), 0);
    CHECK_EQ_INT (zmq_msg_more (&m), 1);
    CHECK_EQ_INT (zmq_msg_recv (&m, a, 0), 3);
    CHECK_EQ_INT (zmq_msg_more (&m), 1);
    CHECK_EQ_INT (zmq_msg_recv (&m, a, 0), 0);
    CHECK_EQ_INT (zmq_msg_more (&m), 0);
    CHECK_OK (zmq_msg_close (&m));
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
