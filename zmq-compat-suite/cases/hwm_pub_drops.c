/* behaviour: a PUB never blocks at the high-water mark: it drops new messages for a slow subscriber, which receives an in-order prefix. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "pubdrop");
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (pub && sub);
    set_int (pub, ZMQ_SNDHWM, 5);
    set_int (sub, ZMQ_RCVHWM, 5);
    CHECK_OK (zmq_bind (pub, ep));
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    CHECK_OK (zmq_connect (sub, ep));
    pubsub_settle (pub, sub, "probe");

    for (int i = 0; i < 1000; i++) {
        char buf[16];
        snprintf (buf, sizeof buf, "%d", i);
        if (zmq_send (pub, buf, strlen (buf), ZMQ_DONTWAIT) < 0)
            FAIL ("PUB send %d failed: errno %d", i, zmq_errno ());
    }
    int got = 0;
    char buf[16];
    while (recv_str_within (sub, buf, sizeof buf, 100) >= 0) {
        if (atoi (buf) != got)
            FAIL ("message %d is '%s': not an in-order prefix", got, buf);
        got++;
    }
    if (got < 1 || got > 10)
        FAIL ("subscriber received %d messages, expected 1..10", got);
    zmq_close (sub);
    zmq_close (pub);
    zmq_ctx_term (ctx);
    return 0;
}
