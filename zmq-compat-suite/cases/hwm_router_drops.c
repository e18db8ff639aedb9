/* behaviour: without ROUTER_MANDATORY a ROUTER drops messages for a peer whose pipe is full instead of blocking. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "routerdrop");
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (router && dealer);
    set_int (router, ZMQ_SNDHWM, 5);
    set_int (dealer, ZMQ_RCVHWM, 5);
    CHECK_OK (zmq_setsockopt (dealer, ZMQ_ROUTING_ID, "D", 1));
    CHECK_OK (zmq_bind (router, ep));
    CHECK_OK (zmq_connect (dealer, ep));
    send_str (dealer, "hello", 0);
    recv_str_eq (router, "D", 0);
    recv_str_eq (router, "hello", 0);

    for (int i = 0; i < 100; i++) {
        char buf[16];
        snprintf (buf, sizeof buf, "%d", i);
        if (zmq_send (router, "D", 1, ZMQ_SNDMORE | ZMQ_DONTWAIT) != 1
            || zmq_send (router, buf, strlen (buf), ZMQ_DONTWAIT)
                 != (int) strlen (buf))
            FAIL ("ROUTER send %d failed: errno %d", i, zmq_errno ());
    }
    int got = 0;
    char buf[16];
    while (recv_str_within (dealer, buf, sizeof buf, 100) >= 0) {
        if (atoi (buf) != got)
            FAIL ("message %d is '%s': not an in-order prefix", got, buf);
        got++;
    }
    if (got < 1 || got > 10)
        FAIL ("dealer received %d messages, expected 1..10", got);
    zmq_close (dealer);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
