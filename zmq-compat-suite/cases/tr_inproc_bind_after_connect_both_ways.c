/* behaviour: over inproc a connection made before the bind works in both directions (REQ connecting first, REP binding later). */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "late");
    void *req = zmq_socket (ctx, ZMQ_REQ);
    void *rep = zmq_socket (ctx, ZMQ_REP);
    CHECK (req && rep);
    CHECK_OK (zmq_setsockopt (req, ZMQ_ROUTING_ID, "early-bird", 10));
    CHECK_OK (zmq_connect (req, ep));
    CHECK_OK (zmq_bind (rep, ep));
    send_str (req, "question", 0);
    recv_str_eq (rep, "question", 0);
    send_str (rep, "answer", 0);
    recv_str_eq (req, "answer", 0);
    /* The routing id set before connecting is carried over. */
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (router && dealer);
    char ep2[128];
    inproc_endpoint (ep2, sizeof ep2, "late-router");
    CHECK_OK (zmq_setsockopt (dealer, ZMQ_ROUTING_ID, "named", 5));
    CHECK_OK (zmq_connect (dealer, ep2));
    send_str (dealer, "hi", 0);
    CHECK_OK (zmq_bind (router, ep2));
    recv_str_eq (router, "named", 0);
    recv_str_eq (router, "hi", 0);
    zmq_close (router);
    zmq_close (dealer);
    zmq_close (req);
    zmq_close (rep);
    zmq_ctx_term (ctx);
    return 0;
}
