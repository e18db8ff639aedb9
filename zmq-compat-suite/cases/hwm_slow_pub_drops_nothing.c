/* behaviour: a PUB at SNDHWM 1 (SUB at RCVHWM 1) whose subscriber takes each message before the next is published, milliseconds apart, drops none of them, over inproc and tcp */
#include "testutil.h"

static void one_transport (const char *bind_ep)
{
    void *ctx = zmq_ctx_new ();
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (ctx && pub && sub);
    set_int (pub, ZMQ_SNDHWM, 1);
    set_int (sub, ZMQ_RCVHWM, 1);
    set_int (sub, ZMQ_RCVTIMEO, 500);
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    char ep[256];
    bind_endpoint (pub, bind_ep, ep, sizeof ep);
    CHECK_OK (zmq_connect (sub, ep));
    pubsub_settle (pub, sub, "probe");
    int lost = 0;
    char buf[16];
    for (int i = 0; i < 40; i++) {
        /* Past libzmq's command throttle (about a millisecond), so the
           publisher has heard of every read before this send. */
        msleep (3);
        send_str (pub, "x", 0);
        int n = zmq_recv (sub, buf, sizeof buf, 0);
        if (n == -1) {
            CHECK (errno == EAGAIN);
            lost++;
        } else
            CHECK_EQ_INT (n, 1);
    }
    if (lost != 0)
        FAIL ("%s: %d of 40 paced messages dropped, expected none", bind_ep,
              lost);
    CHECK_OK (zmq_close (pub));
    CHECK_OK (zmq_close (sub));
    CHECK_OK (zmq_ctx_term (ctx));
}

int main (void)
{
    test_deadline (30);
    one_transport ("inproc://hwm-slow-pub");
    one_transport ("tcp");
    return 0;
}
