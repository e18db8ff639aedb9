/* behaviour: a message and its copy can be sent independently, each delivering the same bytes */
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
    zmq_msg_t m, c;
    CHECK_OK (zmq_msg_init_size (&m, 300));
    memset (zmq_msg_data (&m), 'c', 300);
    CHECK_OK (zmq_msg_init (&c));
    CHECK_OK (zmq_msg_copy (&c, &m));
    CHECK_EQ_INT (zmq_msg_send (&m, b, 0), 300);
    CHECK_EQ_INT (zmq_msg_size (&c), 300);
    CHECK_EQ_INT (zmq_msg_send (&c, b, 0), 300);
    CHECK_OK (zmq_msg_close (&m));
    CHECK_OK (zmq_msg_close (&c));
    char buf[400];
    for (int i = 0; i < 2; i++) {
        CHECK_EQ_INT (zmq_recv (a, buf, sizeof buf, 0), 300);
        CHECK (buf[0] == 'c' && buf[299] == 'c');
    }
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
