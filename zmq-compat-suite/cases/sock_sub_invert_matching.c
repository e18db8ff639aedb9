/* behaviour: with ZMQ_INVERT_MATCHING on PUB and SUB, the SUB receives only messages that do NOT match its subscriptions. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (pub && sub);
    set_int (pub, ZMQ_INVERT_MATCHING, 1);
    set_int (sub, ZMQ_INVERT_MATCHING, 1);
    CHECK_EQ_INT (get_int (sub, ZMQ_INVERT_MATCHING), 1);
    char ep[256];
    bind_tcp_ephemeral (pub, ep, sizeof ep);
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "skip", 4));
    CHECK_OK (zmq_connect (sub, ep));
    /* Until the subscription arrives, the publisher matches nothing, so
       with inversion everything goes through; wait until a "skip" message
       is no longer delivered. */
    long long deadline = now_ms () + 5000;
    for (;;) {
        if (now_ms () > deadline)
            FAIL ("inverted subscription never took effect");
        send_str (pub, "skip-probe", 0);
        send_str (pub, "keep-probe", 0);
        char buf[64];
        if (recv_str_within (sub, buf, sizeof buf, 100) < 0)
            continue;
        if (strcmp (buf, "keep-probe") == 0)
            break;
        recv_str_eq (sub, "keep-probe", 0);
    }
    send_str (pub, "skip1", 0);
    send_str (pub, "other", 0);
    send_str (pub, "ski", 0);
    send_str (pub, "skipped", 0);
    send_str (pub, "", 0);
    recv_str_eq (sub, "other", 0);
    recv_str_eq (sub, "ski", 0);
    recv_str_eq (sub, "", 0);
    expect_silence (sub, 200);

    set_int (sub, ZMQ_LINGER, 0);
    zmq_close (sub);
    zmq_close (pub);
    zmq_ctx_term (ctx);
    return 0;
}
