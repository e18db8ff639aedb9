/* behaviour: received frames report MORE through zmq_msg_more, zmq_msg_get(ZMQ_MORE) and ZMQ_RCVMORE alike */
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
    send_str (b, "one", ZMQ_SNDMORE);
    send_str (b, "two", ZMQ_SNDMORE);
    send_str (b, "three", 0);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    const int expect_more[] = {1, 1, 0};
    for (int i = 0; i < 3; i++) {
        CHECK_OK (zmq_msg_recv (&m, a, 0));
        CHECK_EQ_INT (zmq_msg_more (&m), expect_more[i]);
        CHECK_EQ_INT (zmq_msg_get (&m, ZMQ_MORE), expect_more[i]);
        CHECK_EQ_INT (get_int (a, ZMQ_RCVMORE), expect_more[i]);
    }
    CHECK_OK (zmq_msg_close (&m));
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
