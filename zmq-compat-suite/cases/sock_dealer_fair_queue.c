/* behaviour: a DEALER fair-queues incoming messages from several peers, alternating when all have messages waiting. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "dfq");
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (dealer);
    CHECK_OK (zmq_bind (dealer, ep));
    void *a = zmq_socket (ctx, ZMQ_DEALER);
    void *b = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (a && b);
    CHECK_OK (zmq_connect (a, ep));
    CHECK_OK (zmq_connect (b, ep));
    for (int i = 0; i < 4; i++) {
        send_str (a, "A", ZMQ_SNDMORE);
        send_str (a, "a-tail", 0);
        send_str (b, "B", ZMQ_SNDMORE);
        send_str (b, "b-tail", 0);
    }
    char prev = 0;
    for (int i = 0; i < 8; i++) {
        char buf[16];
        if (recv_str_within (dealer, buf, sizeof buf, 2000) != 1)
            FAIL ("message %d missing", i);
        if (buf[0] == prev)
            FAIL ("two consecutive messages from %c", prev);
        prev = buf[0];
        /* Multipart messages are never interleaved. */
        CHECK_EQ_INT (get_int (dealer, ZMQ_RCVMORE), 1);
        recv_str_eq (dealer, buf[0] == 'A' ? "a-tail" : "b-tail", 0);
    }
    zmq_close (a);
    zmq_close (b);
    zmq_close (dealer);
    zmq_ctx_term (ctx);
    return 0;
}
