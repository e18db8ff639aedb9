/* behaviour: after zmq_ctx_shutdown, zmq_socket and send/recv/bind/connect on existing sockets fail with ETERM */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    void *p = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (s && p);
    CHECK_OK (zmq_ctx_shutdown (ctx));
    /* A second shutdown is harmless. */
    CHECK_OK (zmq_ctx_shutdown (ctx));
    errno = 0;
    CHECK (zmq_socket (ctx, ZMQ_PAIR) == NULL);
    CHECK_EQ_INT (zmq_errno (), ETERM);
    char buf[8];
    CHECK_ERR (zmq_send (s, "x", 1, 0), ETERM);
    CHECK_ERR (zmq_recv (s, buf, sizeof buf, 0), ETERM);
    CHECK_ERR (zmq_send (s, "x", 1, ZMQ_DONTWAIT), ETERM);
    CHECK_ERR (zmq_bind (p, "inproc://ctx-after-shutdown"), ETERM);
    CHECK_ERR (zmq_connect (p, "inproc://ctx-after-shutdown"), ETERM);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    CHECK_ERR (zmq_msg_recv (&m, p, ZMQ_DONTWAIT), ETERM);
    CHECK_OK (zmq_msg_close (&m));
    /* Closing still works, and term then returns. */
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_close (p));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
