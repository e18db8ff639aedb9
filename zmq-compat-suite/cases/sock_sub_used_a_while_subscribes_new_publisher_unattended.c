/* behaviour: a SUB used for a while on one thread (hundreds of receives) that connects to a second publisher and then gets no call (its thread waits on another socket) still sends its subscription there: an XPUB receives it, and what it publishes meanwhile is queued for the SUB. */
#include "testutil.h"

int main (void)
{
    test_deadline (30);
    void *ctx = zmq_ctx_new ();
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (ctx && pub && sub);
    char ep[256];
    bind_tcp_ephemeral (pub, ep, sizeof ep);
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    CHECK_OK (zmq_connect (sub, ep));
    pubsub_settle (pub, sub, "probe");

    /* The SUB in steady use by this thread. */
    char buf[64];
    for (int i = 0; i < 500; i++) {
        send_str (pub, "m", 0);
        if (recv_str_within (sub, buf, sizeof buf, 5000) != 1 || buf[0] != 'm')
            FAIL ("message %d did not arrive", i);
    }

    /* A second publisher; from its connect on, no call on the SUB until
     * the XPUB has the subscription (this thread waits on the XPUB). */
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    CHECK (xpub);
    char ep2[256];
    bind_tcp_ephemeral (xpub, ep2, sizeof ep2);
    CHECK_OK (zmq_connect (sub, ep2));
    int n = recv_str_within (xpub, buf, sizeof buf, 5000);
    if (n < 0)
        FAIL ("the new publisher got no subscription while the SUB was not called");
    if (n != 1 || buf[0] != 1)
        FAIL ("XPUB got %d bytes (first 0x%02x), expected the subscription to \"\"",
              n, n > 0 ? (unsigned char) buf[0] : 0);
    send_str (xpub, "late", 0);
    n = recv_str_within (sub, buf, sizeof buf, 5000);
    if (n != 4 || memcmp (buf, "late", 4) != 0)
        FAIL ("the SUB did not get what the new publisher sent (%d bytes)", n);

    CHECK_OK (zmq_close (xpub));
    CHECK_OK (zmq_close (sub));
    CHECK_OK (zmq_close (pub));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
