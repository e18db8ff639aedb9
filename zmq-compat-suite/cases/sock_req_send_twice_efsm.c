/* behaviour: a REQ socket refuses a second send before the reply was received, with EFSM. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "efsm");
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK (rep && req);
    CHECK_OK (zmq_bind (rep, ep));
    CHECK_OK (zmq_connect (req, ep));
    send_str (req, "first", 0);
    CHECK_ERR (zmq_send (req, "second", 6, 0), EFSM);
    CHECK_ERR (zmq_send (req, "second", 6, ZMQ_DONTWAIT), EFSM);
    /* The state machine is intact: the cycle completes normally. */
    recv_str_eq (rep, "first", 0);
    send_str (rep, "reply", 0);
    recv_str_eq (req, "reply", 0);
    send_str (req, "third", 0);
    recv_str_eq (rep, "third", 0);

    zmq_close (req);
    zmq_close (rep);
    zmq_ctx_term (ctx);
    return 0;
}
