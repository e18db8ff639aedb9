/* behaviour: a PUB applies the high-water mark per subscriber: a subscriber with a small queue loses messages while one with room gets them all. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "slowsub");
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *roomy = zmq_socket (ctx, ZMQ_SUB);
    void *tight = zmq_socket (ctx, ZMQ_SUB);
    CHECK (pub && roomy && tight);
    set_int (pub, ZMQ_SNDHWM, 5);
    set_int (roomy, ZMQ_RCVHWM, 100000);
    set_int (tight, ZMQ_RCVHWM, 5);
    CHECK_OK (zmq_bind (pub, ep));
    CHECK_OK (zmq_setsockopt (roomy, ZMQ_SUBSCRIBE, "", 0));
    CHECK_OK (zmq_setsockopt (tight, ZMQ_SUBSCRIBE, "", 0));
    CHECK_OK (zmq_connect (roomy, ep));
    CHECK_OK (zmq_connect (tight, ep));
    pubsub_settle (pub, roomy, "probe");
    pubsub_settle (pub, tight, "probe");
    char buf[32];
    while (recv_str_within (roomy, buf, sizeof buf, 50) >= 0)
        ;
    for (int i = 0; i < 500; i++) {
        snprintf (buf, sizeof buf, "%d", i);
        send_str (pub, buf, ZMQ_DONTWAIT);
    }
    for (int i = 0; i < 500; i++) {
        char want[16];
        snprintf (want, sizeof want, "%d", i);
        recv_str_eq (roomy, want, 0);
    }
    int got = 0;
    while (recv_str_within (tight, buf, sizeof buf, 100) >= 0) {
        if (atoi (buf) != got)
            FAIL ("tight subscriber: message %d is '%s'", got, buf);
        got++;
    }
    if (got < 1 || got > 10)
        FAIL ("tight subscriber got %d of 500 messages (HWM 5+5)", got);
    zmq_close (roomy);
    zmq_close (tight);
    zmq_close (pub);
    zmq_ctx_term (ctx);
    return 0;
}
