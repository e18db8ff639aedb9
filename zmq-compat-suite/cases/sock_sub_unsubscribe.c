/* behaviour: after ZMQ_UNSUBSCRIBE a SUB stops receiving that prefix while other subscriptions keep working. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (pub && sub);
    char ep[256];
    bind_tcp_ephemeral (pub, ep, sizeof ep);
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "A", 1));
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "B", 1));
    CHECK_OK (zmq_connect (sub, ep));
    pubsub_settle (pub, sub, "A-probe");
    pubsub_settle (pub, sub, "B-probe");

    CHECK_OK (zmq_setsockopt (sub, ZMQ_UNSUBSCRIBE, "A", 1));
    /* The unsubscription travels after the earlier subscriptions; once a
       later probe for B arrives, A is no longer forwarded. Publish A then
       B repeatedly until B arrives without an A in front of it. */
    long long deadline = now_ms () + 5000;
    for (;;) {
        if (now_ms () > deadline)
            FAIL ("unsubscription never took effect");
        send_str (pub, "A-x", 0);
        send_str (pub, "B-x", 0);
        char buf[64];
        if (recv_str_within (sub, buf, sizeof buf, 1000) < 0)
            FAIL ("B stopped arriving");
        if (strcmp (buf, "B-x") == 0)
            break;
        /* Got an A sent before the unsubscription was processed: drain
           the matching B too. */
        recv_str_eq (sub, "B-x", 0);
    }
    for (int i = 0; i < 5; i++) {
        send_str (pub, "A-after", 0);
        send_str (pub, "B-after", 0);
    }
    for (int i = 0; i < 5; i++)
        recv_str_eq (sub, "B-after", 0);
    expect_silence (sub, 200);

    /* Unsubscribing something never subscribed is accepted. */
    CHECK_OK (zmq_setsockopt (sub, ZMQ_UNSUBSCRIBE, "never", 5));

    set_int (sub, ZMQ_LINGER, 0);
    zmq_close (sub);
    zmq_close (pub);
    zmq_ctx_term (ctx);
    return 0;
}
