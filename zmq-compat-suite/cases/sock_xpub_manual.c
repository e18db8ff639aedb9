/* behaviour: with ZMQ_XPUB_MANUAL, subscriptions are only reported; the application decides what the last-reporting subscriber gets via ZMQ_SUBSCRIBE on the XPUB. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "manual");
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (xpub && sub);
    set_int (xpub, ZMQ_XPUB_MANUAL, 1);
    CHECK_OK (zmq_bind (xpub, ep));
    CHECK_OK (zmq_connect (sub, ep));
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    recv_frame_bytes_eq (xpub, "\x01", 1, 0);

    /* Nothing subscribed on the XPUB side yet: the SUB gets nothing even
       though it asked for everything. */
    send_str (xpub, "A-before", 0);
    expect_silence (sub, 200);

    /* Subscribe the last pipe to "A" only. */
    CHECK_OK (zmq_setsockopt (xpub, ZMQ_SUBSCRIBE, "A", 1));
    send_str (xpub, "B-dropped", 0);
    send_str (xpub, "A-kept", 0);
    recv_str_eq (sub, "A-kept", 0);
    expect_silence (sub, 100);

    /* Duplicate subscriptions are reported too in manual mode. */
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    recv_frame_bytes_eq (xpub, "\x01", 1, 0);

    CHECK_OK (zmq_setsockopt (xpub, ZMQ_UNSUBSCRIBE, "A", 1));
    send_str (xpub, "A-after", 0);
    expect_silence (sub, 200);

    zmq_close (sub);
    zmq_close (xpub);
    zmq_ctx_term (ctx);
    return 0;
}
