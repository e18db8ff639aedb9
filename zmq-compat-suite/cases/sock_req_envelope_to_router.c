/* behaviour: a REQ request reaches a ROUTER as [routing id][empty delimiter][body], and a ROUTER reply in that shape reaches the REQ as the body. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK (router && req);
    CHECK_OK (zmq_setsockopt (req, ZMQ_ROUTING_ID, "client", 6));
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);
    CHECK_OK (zmq_connect (req, ep));
    send_str (req, "hello", 0);
    recv_frame_bytes_eq (router, "client", 6, 1);
    recv_frame_bytes_eq (router, "", 0, 1);
    recv_frame_bytes_eq (router, "hello", 5, 0);

    send_str (router, "client", ZMQ_SNDMORE);
    send_str (router, "", ZMQ_SNDMORE);
    send_str (router, "world", 0);
    recv_frame_bytes_eq (req, "world", 5, 0);

    zmq_close (req);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
