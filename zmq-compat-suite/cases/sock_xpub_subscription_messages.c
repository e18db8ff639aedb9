/* behaviour: XPUB receives a SUB's subscription as 0x01+topic and its unsubscription as 0x00+topic. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (xpub && sub);
    char ep[256];
    bind_tcp_ephemeral (xpub, ep, sizeof ep);
    CHECK_OK (zmq_connect (sub, ep));
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "topic", 5));
    CHECK (poll_in_ms (xpub, 5000));
    recv_frame_bytes_eq (xpub, "\x01topic", 6, 0);

    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    CHECK (poll_in_ms (xpub, 5000));
    recv_frame_bytes_eq (xpub, "\x01", 1, 0);

    CHECK_OK (zmq_setsockopt (sub, ZMQ_UNSUBSCRIBE, "topic", 5));
    CHECK (poll_in_ms (xpub, 5000));
    recv_frame_bytes_eq (xpub, "\x00topic", 6, 0);
    expect_silence (xpub, 100);

    set_int (sub, ZMQ_LINGER, 0);
    zmq_close (sub);
    zmq_close (xpub);
    zmq_ctx_term (ctx);
    return 0;
}
