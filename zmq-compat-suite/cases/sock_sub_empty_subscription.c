/* behaviour: an empty subscription makes a SUB receive every message, including empty ones. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (pub && sub);
    char ep[256];
    bind_tcp_ephemeral (pub, ep, sizeof ep);
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    CHECK_OK (zmq_connect (sub, ep));
    pubsub_settle (pub, sub, "probe");

    send_str (pub, "x", 0);
    send_str (pub, "", 0);
    send_str (pub, "\xff\x00", 0);
    send_str (pub, "anything", 0);
    recv_str_eq (sub, "x", 0);
    recv_str_eq (sub, "", 0);
    recv_str_eq (sub, "\xff", 0);
    recv_str_eq (sub, "anything", 0);

    set_int (sub, ZMQ_LINGER, 0);
    zmq_close (sub);
    zmq_close (pub);
    zmq_ctx_term (ctx);
    return 0;
}
