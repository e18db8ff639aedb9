/* behaviour: a REQ drops a reply that lacks the empty delimiter frame and keeps waiting for a well-formed one. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK (router && req);
    CHECK_OK (zmq_setsockopt (req, ZMQ_ROUTING_ID, "R", 1));
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "nodelim");
    CHECK_OK (zmq_bind (router, ep));
    CHECK_OK (zmq_connect (req, ep));
    send_str (req, "q", 0);
    recv_frame_bytes_eq (router, "R", 1, 1);
    recv_frame_bytes_eq (router, "", 0, 1);
    recv_frame_bytes_eq (router, "q", 1, 0);

    send_str (router, "R", ZMQ_SNDMORE);
    send_str (router, "bad-no-delimiter", 0);
    send_str (router, "R", ZMQ_SNDMORE);
    send_str (router, "", ZMQ_SNDMORE);
    send_str (router, "good", 0);
    recv_str_eq (req, "good", 0);

    zmq_close (req);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
