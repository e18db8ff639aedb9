/* behaviour: PULL fair-queues between peers that all have messages waiting, alternating between them. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "fq");
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    CHECK_OK (zmq_bind (pull, ep));
    void *a = zmq_socket (ctx, ZMQ_PUSH);
    void *b = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (a && b);
    CHECK_OK (zmq_connect (a, ep));
    CHECK_OK (zmq_connect (b, ep));
    for (int i = 0; i < 5; i++) {
        send_str (a, "A", 0);
        send_str (b, "B", 0);
    }
    /* Both queues are full before the first receive: 10 messages, never
       two in a row from the same peer. */
    char prev = 0;
    int na = 0, nb = 0;
    for (int i = 0; i < 10; i++) {
        char buf[8];
        if (recv_str_within (pull, buf, sizeof buf, 2000) != 1)
            FAIL ("message %d missing", i);
        if (buf[0] == prev)
            FAIL ("two consecutive messages from %c at %d", prev, i);
        prev = buf[0];
        if (buf[0] == 'A')
            na++;
        else
            nb++;
    }
    CHECK_EQ_INT (na, 5);
    CHECK_EQ_INT (nb, 5);

    zmq_close (a);
    zmq_close (b);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
