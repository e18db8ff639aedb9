/* behaviour: deprecated zmq_sendmsg/zmq_recvmsg behave like zmq_msg_send/zmq_msg_recv and return the byte count */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    CHECK_OK (zmq_bind (a, "inproc://api-sendmsg"));
    CHECK_OK (zmq_connect (b, "inproc://api-sendmsg"));

    zmq_msg_t m;
    CHECK_OK (zmq_msg_init_size (&m, 5));
    memcpy (zmq_msg_data (&m), "hello", 5);
    CHECK_EQ_INT (zmq_sendmsg (b, &m, ZMQ_SNDMORE), 5);
    CHECK_OK (zmq_msg_close (&m));
    CHECK_OK (zmq_msg_init_size (&m, 3));
    memcpy (zmq_msg_data (&m), "end", 3);
    CHECK_EQ_INT (zmq_sendmsg (b, &m, 0), 3);
    CHECK_OK (zmq_msg_close (&m));

    CHECK_OK (zmq_msg_init (&m));
    CHECK_EQ_INT (zmq_recvmsg (a, &m, 0), 5);
    CHECK (memcmp (zmq_msg_data (&m), "hello", 5) == 0);
    CHECK_EQ_INT (zmq_msg_more (&m), 1);
    CHECK_EQ_INT (zmq_recvmsg (a, &m, 0), 3);
    CHECK (memcmp (zmq_msg_data (&m), "end", 3) == 0);
    CHECK_EQ_INT (zmq_msg_more (&m), 0);
    CHECK_ERR (zmq_recvmsg (a, &m, ZMQ_DONTWAIT), EAGAIN);
    CHECK_OK (zmq_msg_close (&m));

    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
