/* behaviour: a REP socket that received a request refuses another receive before replying, with EFSM. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "rep2");
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK (rep && req);
    CHECK_OK (zmq_bind (rep, ep));
    CHECK_OK (zmq_connect (req, ep));
    send_str (req, "q", 0);
    recv_str_eq (rep, "q", 0);
    char buf[16];
    CHECK_ERR (zmq_recv (rep, buf, sizeof buf, ZMQ_DONTWAIT), EFSM);
    send_str (rep, "a", 0);
    recv_str_eq (req, "a", 0);
    zmq_close (req);
    zmq_close (rep);
    zmq_ctx_term (ctx);
    return 0;
}
