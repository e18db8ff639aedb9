/* behaviour: a PUB socket without subscribers accepts every send at once and silently discards the messages. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    CHECK (pub);
    char ep[256];
    bind_tcp_ephemeral (pub, ep, sizeof ep);
    set_int (pub, ZMQ_SNDHWM, 10);
    for (int i = 0; i < 20000; i++)
        if (zmq_send (pub, "msg", 3, ZMQ_DONTWAIT) != 3)
            FAIL ("send %d failed: errno %d", i, zmq_errno ());
    /* A subscriber joining later sees none of the earlier messages. */
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (sub);
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    CHECK_OK (zmq_connect (sub, ep));
    pubsub_settle (pub, sub, "probe");
    send_str (pub, "late", 0);
    recv_str_eq (sub, "late", 0);
    set_int (sub, ZMQ_LINGER, 0);
    zmq_close (sub);
    zmq_close (pub);
    zmq_ctx_term (ctx);
    return 0;
}
