/* behaviour: ZMQ_XPUB_WELCOME_MSG is sent to every new subscriber as soon as it connects. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    CHECK (xpub);
    CHECK_OK (zmq_setsockopt (xpub, ZMQ_XPUB_WELCOME_MSG, "W-hello", 7));
    char ep[256];
    bind_tcp_ephemeral (xpub, ep, sizeof ep);

    void *sub[2];
    for (int i = 0; i < 2; i++) {
        sub[i] = zmq_socket (ctx, ZMQ_SUB);
        CHECK (sub[i]);
        CHECK_OK (zmq_setsockopt (sub[i], ZMQ_SUBSCRIBE, "W", 1));
        CHECK_OK (zmq_connect (sub[i], ep));
        /* The XPUB attaches new peers when its owner calls into it, so
           keep calling into it while waiting. */
        char buf[64];
        long long deadline = now_ms () + 5000;
        for (;;) {
            if (now_ms () > deadline)
                FAIL ("subscriber %d got no welcome message", i);
            get_int (xpub, ZMQ_EVENTS);
            if (recv_str_within (sub[i], buf, sizeof buf, 20) >= 0)
                break;
        }
        if (strcmp (buf, "W-hello") != 0)
            FAIL ("subscriber %d got '%s'", i, buf);
        /* The XPUB sees the subscription as usual (once for the topic). */
        if (i == 0)
            recv_frame_bytes_eq (xpub, "\x01W", 2, 0);
    }
    /* The welcome message goes to new peers only. */
    expect_silence (sub[0], 200);

    for (int i = 0; i < 2; i++) {
        set_int (sub[i], ZMQ_LINGER, 0);
        zmq_close (sub[i]);
    }
    zmq_close (xpub);
    zmq_ctx_term (ctx);
    return 0;
}
