/* behaviour: a SUB connected to a PUSH, or a PUB to a PULL, receives nothing: the handshake rejects the socket-type pair. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (push && sub);
    set_int (push, ZMQ_LINGER, 0);
    char ep[256];
    bind_tcp_ephemeral (push, ep, sizeof ep);
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    CHECK_OK (zmq_connect (sub, ep));
    /* PUSH has no compatible peer: a send with a timeout fails. */
    set_int (push, ZMQ_SNDTIMEO, 300);
    CHECK_ERR (zmq_send (push, "x", 1, 0), EAGAIN);
    expect_silence (sub, 200);

    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    CHECK (pull && pub);
    char ep2[256];
    bind_tcp_ephemeral (pull, ep2, sizeof ep2);
    CHECK_OK (zmq_connect (pub, ep2));
    for (int i = 0; i < 20; i++) {
        send_str (pub, "pubmsg", 0);
        msleep (10);
    }
    expect_silence (pull, 300);

    set_int (sub, ZMQ_LINGER, 0);
    set_int (pub, ZMQ_LINGER, 0);
    zmq_close (sub);
    zmq_close (push);
    zmq_close (pub);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
