/* behaviour: an XSUB subscribes by sending 0x01+topic as a message (0x00+topic to unsubscribe), and the PUB filters accordingly. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *xsub = zmq_socket (ctx, ZMQ_XSUB);
    CHECK (pub && xsub);
    char ep[256];
    bind_tcp_ephemeral (pub, ep, sizeof ep);
    CHECK_OK (zmq_connect (xsub, ep));
    send_bytes (xsub, "\x01" "A", 2, 0);
    /* Publish until the subscription is in place. */
    long long deadline = now_ms () + 5000;
    char buf[64];
    for (;;) {
        if (now_ms () > deadline)
            FAIL ("XSUB subscription never reached the PUB");
        send_str (pub, "A-probe", 0);
        if (recv_str_within (xsub, buf, sizeof buf, 50) >= 0)
            break;
    }
    while (recv_str_within (xsub, buf, sizeof buf, 100) >= 0)
        ;
    send_str (pub, "B-no", 0);
    send_str (pub, "A-yes", 0);
    recv_str_eq (xsub, "A-yes", 0);
    expect_silence (xsub, 100);

    send_bytes (xsub, "\x00" "A", 2, 0);
    send_bytes (xsub, "\x01" "C", 2, 0);
    for (;;) {
        if (now_ms () > deadline + 5000)
            FAIL ("XSUB resubscription never reached the PUB");
        send_str (pub, "C-probe", 0);
        if (recv_str_within (xsub, buf, sizeof buf, 50) >= 0)
            break;
    }
    while (recv_str_within (xsub, buf, sizeof buf, 100) >= 0)
        ;
    send_str (pub, "A-no", 0);
    send_str (pub, "C-yes", 0);
    recv_str_eq (xsub, "C-yes", 0);
    expect_silence (xsub, 100);

    set_int (xsub, ZMQ_LINGER, 0);
    zmq_close (xsub);
    zmq_close (pub);
    zmq_ctx_term (ctx);
    return 0;
}
