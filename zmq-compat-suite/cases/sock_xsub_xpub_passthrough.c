/* behaviour: an XSUB's subscription messages arrive unchanged at an XPUB, and XSUB messages not starting with 0/1 arrive there as plain upstream messages. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    void *xsub = zmq_socket (ctx, ZMQ_XSUB);
    CHECK (xpub && xsub);
    char ep[256];
    bind_tcp_ephemeral (xpub, ep, sizeof ep);
    CHECK_OK (zmq_connect (xsub, ep));
    send_bytes (xsub, "\x01topic", 6, 0);
    send_bytes (xsub, "upstream", 8, 0);
    send_bytes (xsub, "\x00topic", 6, 0);
    CHECK (poll_in_ms (xpub, 5000));
    recv_frame_bytes_eq (xpub, "\x01topic", 6, 0);
    recv_frame_bytes_eq (xpub, "upstream", 8, 0);
    recv_frame_bytes_eq (xpub, "\x00topic", 6, 0);

    set_int (xsub, ZMQ_LINGER, 0);
    zmq_close (xsub);
    zmq_close (xpub);
    zmq_ctx_term (ctx);
    return 0;
}
