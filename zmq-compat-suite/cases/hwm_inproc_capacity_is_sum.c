/* behaviour: over inproc a PUSH accepts exactly SNDHWM + the PULL's RCVHWM messages without a reader, then DONTWAIT sends fail with EAGAIN. */
#include "testutil.h"

static void check (int sndhwm, int rcvhwm)
{
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "sum");
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (push && pull);
    set_int (push, ZMQ_SNDHWM, sndhwm);
    set_int (pull, ZMQ_RCVHWM, rcvhwm);
    CHECK_OK (zmq_bind (pull, ep));
    CHECK_OK (zmq_connect (push, ep));
    int sent = 0;
    while (sent < 1000) {
        char buf[16];
        snprintf (buf, sizeof buf, "%d", sent);
        if (zmq_send (push, buf, strlen (buf), ZMQ_DONTWAIT) < 0) {
            CHECK_EQ_INT (zmq_errno (), EAGAIN);
            break;
        }
        sent++;
    }
    if (sent != sndhwm + rcvhwm)
        FAIL ("SNDHWM %d + RCVHWM %d: %d messages accepted", sndhwm, rcvhwm,
              sent);
    for (int i = 0; i < sent; i++) {
        char want[16];
        snprintf (want, sizeof want, "%d", i);
        recv_str_eq (pull, want, 0);
    }
    expect_silence (pull, 20);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
}

int main (void)
{
    test_deadline (20);
    check (5, 5);
    check (7, 3);
    check (1, 12);
    return 0;
}
