/* behaviour: ZMQ_DONTWAIT makes a receive with nothing queued, or a send with no peer to take it, fail at once with EAGAIN. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    int rtypes[4] = {ZMQ_PULL, ZMQ_DEALER, ZMQ_PAIR, ZMQ_SUB};
    for (int i = 0; i < 4; i++) {
        void *s = zmq_socket (ctx, rtypes[i]);
        CHECK (s);
        char ep[256];
        bind_tcp_ephemeral (s, ep, sizeof ep);
        char buf[8];
        long long t0 = now_ms ();
        CHECK_ERR (zmq_recv (s, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
        CHECK (now_ms () - t0 < 500);
        zmq_close (s);
    }
    /* Senders with no peer at all. */
    int stypes[3] = {ZMQ_PUSH, ZMQ_DEALER, ZMQ_PAIR};
    for (int i = 0; i < 3; i++) {
        void *s = zmq_socket (ctx, stypes[i]);
        CHECK (s);
        char ep[256];
        bind_tcp_ephemeral (s, ep, sizeof ep);
        CHECK_ERR (zmq_send (s, "x", 1, ZMQ_DONTWAIT), EAGAIN);
        zmq_close (s);
    }
    zmq_ctx_term (ctx);
    return 0;
}
