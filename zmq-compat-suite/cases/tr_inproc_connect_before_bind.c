/* behaviour: an inproc connect to a name nobody has bound yet succeeds, and messages sent meanwhile are delivered once the name is bound. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "early");
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (push && pull);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "sent-before-bind", 0);
    send_str (push, "second", 0);
    CHECK_OK (zmq_bind (pull, ep));
    recv_str_eq (pull, "sent-before-bind", 0);
    recv_str_eq (pull, "second", 0);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
