/* behaviour: an inproc connection made before the bind also gets the summed capacity SNDHWM + RCVHWM. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "cbb");
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (push && pull);
    set_int (push, ZMQ_SNDHWM, 4);
    set_int (pull, ZMQ_RCVHWM, 6);
    CHECK_OK (zmq_connect (push, ep));
    CHECK_OK (zmq_bind (pull, ep));
    int sent = 0;
    while (sent < 1000 && zmq_send (push, "m", 1, ZMQ_DONTWAIT) == 1)
        sent++;
    CHECK_EQ_INT (zmq_errno (), EAGAIN);
    CHECK_EQ_INT (sent, 10);
    for (int i = 0; i < sent; i++)
        recv_str_eq (pull, "m", 0);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
