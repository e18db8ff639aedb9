/* behaviour: a REP socket refuses to send before it has received a request, with EFSM. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *rep = zmq_socket (ctx, ZMQ_REP);
    CHECK (rep);
    CHECK_ERR (zmq_send (rep, "x", 1, 0), EFSM);
    CHECK_ERR (zmq_send (rep, "x", 1, ZMQ_DONTWAIT), EFSM);
    zmq_close (rep);
    zmq_ctx_term (ctx);
    return 0;
}
