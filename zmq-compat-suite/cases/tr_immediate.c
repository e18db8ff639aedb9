/* behaviour: with ZMQ_IMMEDIATE a socket queues messages only to completed connections: with no live peer a send fails with EAGAIN instead of queueing. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", wu_free_port ());
    void *lazy = zmq_socket (ctx, ZMQ_PUSH);
    void *strict = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (lazy && strict);
    set_int (strict, ZMQ_IMMEDIATE, 1);
    CHECK_EQ_INT (get_int (strict, ZMQ_IMMEDIATE), 1);
    set_int (strict, ZMQ_RECONNECT_IVL, 20);
    set_int (lazy, ZMQ_LINGER, 0);
    CHECK_OK (zmq_connect (lazy, ep));
    CHECK_OK (zmq_connect (strict, ep));
    /* Without IMMEDIATE the message is queued for the pending connection. */
    CHECK_EQ_INT (zmq_send (lazy, "q", 1, ZMQ_DONTWAIT), 1);
    CHECK_ERR (zmq_send (strict, "x", 1, ZMQ_DONTWAIT), EAGAIN);

    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    if (zmq_bind (pull, ep) != 0) {
        fprintf (stderr, "port taken by another process\n");
        return SKIP_EXIT;
    }
    /* Once connected, the strict socket sends. */
    long long deadline = now_ms () + 5000;
    while (zmq_send (strict, "live", 4, ZMQ_DONTWAIT) != 4) {
        CHECK_EQ_INT (zmq_errno (), EAGAIN);
        if (now_ms () > deadline)
            FAIL ("IMMEDIATE socket never became writable");
        msleep (10);
    }
    char buf[16];
    int got_live = 0;
    while (!got_live) {
        if (recv_str_within (pull, buf, sizeof buf, 5000) < 0)
            FAIL ("message from the IMMEDIATE socket lost");
        got_live = strcmp (buf, "live") == 0;
        if (!got_live && strcmp (buf, "q") != 0)
            FAIL ("unexpected '%s'", buf);
    }
    zmq_close (lazy);
    zmq_close (strict);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
