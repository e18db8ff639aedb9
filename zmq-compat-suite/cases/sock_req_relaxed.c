/* behaviour: with ZMQ_REQ_RELAXED a REQ may send a new request without waiting for the reply, and then receives the reply to the new request. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "relaxed");
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK (router && req);
    set_int (req, ZMQ_REQ_RELAXED, 1);
    CHECK_OK (zmq_setsockopt (req, ZMQ_ROUTING_ID, "R", 1));
    CHECK_OK (zmq_bind (router, ep));
    CHECK_OK (zmq_connect (req, ep));

    send_str (req, "first", 0);
    send_str (req, "second", 0); /* no EFSM */
    recv_frame_bytes_eq (router, "R", 1, 1);
    recv_frame_bytes_eq (router, "", 0, 1);
    recv_frame_bytes_eq (router, "first", 5, 0);
    recv_frame_bytes_eq (router, "R", 1, 1);
    recv_frame_bytes_eq (router, "", 0, 1);
    recv_frame_bytes_eq (router, "second", 6, 0);

    /* Still possible to receive the (latest) reply. */
    send_str (router, "R", ZMQ_SNDMORE);
    send_str (router, "", ZMQ_SNDMORE);
    send_str (router, "reply", 0);
    recv_str_eq (req, "reply", 0);

    /* Without the option, the second send is EFSM. */
    void *strict = zmq_socket (ctx, ZMQ_REQ);
    CHECK (strict);
    CHECK_OK (zmq_connect (strict, ep));
    send_str (strict, "x", 0);
    CHECK_ERR (zmq_send (strict, "y", 1, 0), EFSM);

    set_int (strict, ZMQ_LINGER, 0);
    zmq_close (strict);
    zmq_close (req);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
