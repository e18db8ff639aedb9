/* behaviour: with ROUTER_MANDATORY a ROUTER reports a full peer pipe with EAGAIN instead of dropping, and can send again after the peer reads. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "routerfull");
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (router && dealer);
    set_int (router, ZMQ_ROUTER_MANDATORY, 1);
    set_int (router, ZMQ_SNDHWM, 5);
    set_int (dealer, ZMQ_RCVHWM, 5);
    CHECK_OK (zmq_setsockopt (dealer, ZMQ_ROUTING_ID, "D", 1));
    CHECK_OK (zmq_bind (router, ep));
    CHECK_OK (zmq_connect (dealer, ep));
    send_str (dealer, "hello", 0);
    recv_str_eq (router, "D", 0);
    recv_str_eq (router, "hello", 0);

    int sent = 0;
    for (; sent < 1000; sent++) {
        if (zmq_send (router, "D", 1, ZMQ_SNDMORE | ZMQ_DONTWAIT) != 1) {
            CHECK_EQ_INT (zmq_errno (), EAGAIN);
            break;
        }
        send_str (router, "m", ZMQ_DONTWAIT);
    }
    if (sent == 1000)
        FAIL ("full pipe never reported");
    if (sent < 1 || sent > 10)
        FAIL ("EAGAIN after %d messages, expected at most 10", sent);
    for (int i = 0; i < sent; i++)
        recv_str_eq (dealer, "m", 0);
    expect_silence (dealer, 20);
    /* Drained: the ROUTER can reach the peer again. */
    long long deadline = now_ms () + 5000;
    while (zmq_send (router, "D", 1, ZMQ_SNDMORE | ZMQ_DONTWAIT) != 1) {
        CHECK_EQ_INT (zmq_errno (), EAGAIN);
        if (now_ms () > deadline)
            FAIL ("peer never writable again");
        msleep (5);
    }
    send_str (router, "again", 0);
    recv_str_eq (dealer, "again", 0);
    zmq_close (dealer);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
