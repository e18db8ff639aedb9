/* behaviour: when a subscriber goes away, its XPUB reports an unsubscription (0x00+topic) for each of its topics. */
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
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "gone", 4));
    CHECK (poll_in_ms (xpub, 5000));
    recv_frame_bytes_eq (xpub, "\x01gone", 5, 0);

    set_int (sub, ZMQ_LINGER, 0);
    zmq_close (sub);
    if (!poll_in_ms (xpub, 5000))
        FAIL ("no unsubscription after the subscriber closed");
    recv_frame_bytes_eq (xpub, "\x00gone", 5, 0);

    zmq_close (xpub);
    zmq_ctx_term (ctx);
    return 0;
}
