/* behaviour: a DEALER blocks at its high-water mark like PUSH: over inproc it accepts SNDHWM + peer RCVHWM messages, then EAGAIN. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "dealerhwm");
    void *a = zmq_socket (ctx, ZMQ_DEALER);
    void *b = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (a && b);
    set_int (a, ZMQ_SNDHWM, 3);
    set_int (b, ZMQ_RCVHWM, 5);
    CHECK_OK (zmq_bind (b, ep));
    CHECK_OK (zmq_connect (a, ep));
    int sent = 0;
    while (sent < 1000 && zmq_send (a, "m", 1, ZMQ_DONTWAIT) == 1)
        sent++;
    CHECK_EQ_INT (zmq_errno (), EAGAIN);
    CHECK_EQ_INT (sent, 8);
    for (int i = 0; i < sent; i++)
        recv_str_eq (b, "m", 0);
    expect_silence (b, 20);
    zmq_close (a);
    zmq_close (b);
    zmq_ctx_term (ctx);
    return 0;
}
