/* behaviour: XPUB bound on ws sees a SUB's subscriptions as \x01topic messages and the SUB gets only matching messages. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *pub = zmq_socket (ctx, ZMQ_XPUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (pub && sub);
    CHECK_OK (zmq_bind (pub, "ws://127.0.0.1:*/feed"));
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (pub, ZMQ_LAST_ENDPOINT, ep, &len));
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "A", 1));
    CHECK_OK (zmq_connect (sub, ep));
    recv_str_eq (pub, "\001A", 0);
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "B", 1));
    recv_str_eq (pub, "\001B", 0);
    CHECK_OK (zmq_setsockopt (sub, ZMQ_UNSUBSCRIBE, "B", 1));
    recv_str_eq (pub, "\000B", 0);
    send_str (pub, "Bnoise", 0);
    send_str (pub, "Aone", ZMQ_SNDMORE);
    send_str (pub, "part", 0);
    send_str (pub, "Cnoise", 0);
    send_str (pub, "Atwo", 0);
    recv_str_eq (sub, "Aone", 0);
    recv_str_eq (sub, "part", 0);
    recv_str_eq (sub, "Atwo", 0);
    expect_silence (sub, 100);
    zmq_close (sub);
    zmq_close (pub);
    zmq_ctx_term (ctx);
    return 0;
}
