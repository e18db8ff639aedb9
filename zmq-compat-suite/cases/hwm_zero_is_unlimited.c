/* behaviour: a high-water mark of 0 means no limit: a PUSH queues 100000 messages without a reader. */
#include "testutil.h"

static void run (int sndhwm, int rcvhwm)
{
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "zero");
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (push && pull);
    set_int (push, ZMQ_SNDHWM, sndhwm);
    set_int (pull, ZMQ_RCVHWM, rcvhwm);
    CHECK_EQ_INT (get_int (push, ZMQ_SNDHWM), sndhwm);
    CHECK_OK (zmq_bind (pull, ep));
    CHECK_OK (zmq_connect (push, ep));
    for (int i = 0; i < 100000; i++)
        if (zmq_send (push, "m", 1, ZMQ_DONTWAIT) != 1)
            FAIL ("SNDHWM %d RCVHWM %d: send %d failed (errno %d)", sndhwm,
                  rcvhwm, i, zmq_errno ());
    int got = 0;
    char buf[4];
    while (zmq_recv (pull, buf, sizeof buf, ZMQ_DONTWAIT) == 1)
        got++;
    CHECK_EQ_INT (got, 100000);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
}

int main (void)
{
    test_deadline (20);
    run (0, 0);
    /* Over inproc one unlimited side makes the whole pipe unlimited. */
    run (0, 5);
    run (5, 0);
    return 0;
}
