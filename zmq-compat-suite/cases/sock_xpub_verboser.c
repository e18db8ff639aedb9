/* behaviour: ZMQ_XPUB_VERBOSER passes every subscription and every unsubscription, duplicates included, to the application. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "verboser");
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    void *s1 = zmq_socket (ctx, ZMQ_SUB);
    void *s2 = zmq_socket (ctx, ZMQ_SUB);
    CHECK (xpub && s1 && s2);
    set_int (xpub, ZMQ_XPUB_VERBOSER, 1);
    CHECK_OK (zmq_bind (xpub, ep));
    CHECK_OK (zmq_connect (s1, ep));
    CHECK_OK (zmq_connect (s2, ep));
    CHECK_OK (zmq_setsockopt (s1, ZMQ_SUBSCRIBE, "T", 1));
    recv_frame_bytes_eq (xpub, "\x01T", 2, 0);
    CHECK_OK (zmq_setsockopt (s2, ZMQ_SUBSCRIBE, "T", 1));
    recv_frame_bytes_eq (xpub, "\x01T", 2, 0);
    CHECK_OK (zmq_setsockopt (s2, ZMQ_UNSUBSCRIBE, "T", 1));
    recv_frame_bytes_eq (xpub, "\x00T", 2, 0);
    CHECK_OK (zmq_setsockopt (s1, ZMQ_UNSUBSCRIBE, "T", 1));
    recv_frame_bytes_eq (xpub, "\x00T", 2, 0);
    expect_silence (xpub, 100);

    zmq_close (s1);
    zmq_close (s2);
    zmq_close (xpub);
    zmq_ctx_term (ctx);
    return 0;
}
