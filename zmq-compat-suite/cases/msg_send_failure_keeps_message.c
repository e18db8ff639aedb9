/* behaviour: when zmq_msg_send fails (EAGAIN) the message keeps its content and still belongs to the caller */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (ctx && push);
    /* No peer at all: PUSH cannot send. */
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init_size (&m, 100));
    memset (zmq_msg_data (&m), 'k', 100);
    CHECK_ERR (zmq_msg_send (&m, push, ZMQ_DONTWAIT), EAGAIN);
    CHECK_EQ_INT (zmq_msg_size (&m), 100);
    CHECK (((char *) zmq_msg_data (&m))[99] == 'k');

    /* Once a peer exists the same message can be sent. */
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    CHECK_OK (zmq_bind (pull, "inproc://msg-send-fail"));
    CHECK_OK (zmq_connect (push, "inproc://msg-send-fail"));
    CHECK_EQ_INT (zmq_msg_send (&m, push, 0), 100);
    CHECK_OK (zmq_msg_close (&m));
    char buf[128];
    CHECK_EQ_INT (zmq_recv (pull, buf, sizeof buf, 0), 100);
    CHECK_OK (zmq_close (push));
    CHECK_OK (zmq_close (pull));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
