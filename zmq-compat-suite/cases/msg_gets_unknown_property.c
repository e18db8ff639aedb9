/* behaviour: zmq_msg_gets returns NULL with EINVAL for an unknown property and for a message that never crossed a connection */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init_size (&m, 4));
    errno = 0;
    CHECK (zmq_msg_gets (&m, "Socket-Type") == NULL);
    CHECK_EQ_INT (zmq_errno (), EINVAL);
    errno = 0;
    CHECK (zmq_msg_gets (&m, "No-Such-Property") == NULL);
    CHECK_EQ_INT (zmq_errno (), EINVAL);
    CHECK_OK (zmq_msg_close (&m));

    /* A message received over tcp knows Socket-Type but not a made-up key. */
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PULL);
    void *b = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (ctx && a && b);
    char ep[256];
    bind_tcp_ephemeral (a, ep, sizeof ep);
    CHECK_OK (zmq_connect (b, ep));
    send_str (b, "x", 0);
    CHECK_OK (zmq_msg_init (&m));
    CHECK_OK (zmq_msg_recv (&m, a, 0));
    errno = 0;
    CHECK (zmq_msg_gets (&m, "X-Not-There") == NULL);
    CHECK_EQ_INT (zmq_errno (), EINVAL);
    CHECK_OK (zmq_msg_close (&m));
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
