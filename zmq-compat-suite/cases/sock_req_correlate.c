/* behaviour: with ZMQ_REQ_CORRELATE a REQ prefixes requests with a 4-byte request id and discards replies carrying a stale id. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "correlate");
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK (router && req);
    set_int (req, ZMQ_REQ_RELAXED, 1);
    set_int (req, ZMQ_REQ_CORRELATE, 1);
    CHECK_OK (zmq_setsockopt (req, ZMQ_ROUTING_ID, "R", 1));
    CHECK_OK (zmq_bind (router, ep));
    CHECK_OK (zmq_connect (req, ep));

    unsigned char id1[4], id2[4];
    send_str (req, "first", 0);
    recv_frame_bytes_eq (router, "R", 1, 1);
    CHECK_EQ_INT (zmq_recv (router, id1, 4, 0), 4);
    CHECK_EQ_INT (get_int (router, ZMQ_RCVMORE), 1);
    recv_frame_bytes_eq (router, "", 0, 1);
    recv_frame_bytes_eq (router, "first", 5, 0);

    send_str (req, "second", 0);
    recv_frame_bytes_eq (router, "R", 1, 1);
    CHECK_EQ_INT (zmq_recv (router, id2, 4, 0), 4);
    recv_frame_bytes_eq (router, "", 0, 1);
    recv_frame_bytes_eq (router, "second", 6, 0);
    CHECK (memcmp (id1, id2, 4) != 0);

    /* The reply to the first request is stale and must be dropped. */
    send_str (router, "R", ZMQ_SNDMORE);
    send_bytes (router, id1, 4, ZMQ_SNDMORE);
    send_str (router, "", ZMQ_SNDMORE);
    send_str (router, "stale", 0);
    send_str (router, "R", ZMQ_SNDMORE);
    send_bytes (router, id2, 4, ZMQ_SNDMORE);
    send_str (router, "", ZMQ_SNDMORE);
    send_str (router, "fresh", 0);
    recv_frame_bytes_eq (req, "fresh", 5, 0);

    zmq_close (req);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
