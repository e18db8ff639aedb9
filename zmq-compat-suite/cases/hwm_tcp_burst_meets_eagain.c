/* behaviour: over tcp, a burst of 6000 non-blocking sends from an XPUB with XPUB_NODROP and SNDHWM 2000 meets EAGAIN at least once, and nothing sent is lost. */
#include "testutil.h"

static int drain (void *sub)
{
    int n = 0;
    char buf[16];
    while (zmq_recv (sub, buf, sizeof buf, 0) >= 0)
        n++;
    CHECK (zmq_errno () == EAGAIN);
    return n;
}

int main (void)
{
    test_deadline (30);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pub = zmq_socket (ctx, ZMQ_XPUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (pub && sub);
    char ep[128];
    bind_tcp_ephemeral (pub, ep, sizeof ep);
    CHECK_OK (zmq_connect (sub, ep));
    set_int (pub, ZMQ_SNDHWM, 2000);
    set_int (pub, ZMQ_XPUB_NODROP, 1);
    set_int (sub, ZMQ_RCVTIMEO, 10);
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    char s[4];
    CHECK (zmq_recv (pub, s, sizeof s, 0) == 1 && s[0] == 1);

    int sent = 0, received = 0, blocked = 0;
    while (sent < 6000) {
        if (zmq_send (pub, NULL, 0, ZMQ_DONTWAIT) == 0) {
            sent++;
            continue;
        }
        CHECK (zmq_errno () == EAGAIN);
        blocked++;
        received += drain (sub);
    }
    if (blocked == 0)
        FAIL ("6000 sends past SNDHWM 2000 never met EAGAIN");
    for (int i = 0; i < 50 && received < sent; i++)
        received += drain (sub);
    CHECK_EQ_INT (received, sent);
    zmq_close (pub);
    zmq_close (sub);
    zmq_ctx_term (ctx);
    return 0;
}
