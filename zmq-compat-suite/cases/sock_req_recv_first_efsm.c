/* behaviour: a REQ socket refuses to receive before it has sent a request, with EFSM. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK (req);
    char buf[16];
    CHECK_ERR (zmq_recv (req, buf, sizeof buf, 0), EFSM);
    CHECK_ERR (zmq_recv (req, buf, sizeof buf, ZMQ_DONTWAIT), EFSM);
    zmq_close (req);
    zmq_ctx_term (ctx);
    return 0;
}
