/* behaviour: ZMQ_PROBE_ROUTER makes a connecting socket send an empty message on connection, which its ROUTER peer receives as [id][empty]. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (router);
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);

    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (dealer);
    CHECK_OK (zmq_setsockopt (dealer, ZMQ_ROUTING_ID, "probe-d", 7));
    set_int (dealer, ZMQ_PROBE_ROUTER, 1);
    CHECK_OK (zmq_connect (dealer, ep));
    /* Nothing was sent by the application. */
    recv_frame_bytes_eq (router, "probe-d", 7, 1);
    recv_frame_bytes_eq (router, "", 0, 0);

    /* A ROUTER can probe too; its probe is the same empty message. */
    void *r2 = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (r2);
    CHECK_OK (zmq_setsockopt (r2, ZMQ_ROUTING_ID, "probe-r", 7));
    set_int (r2, ZMQ_PROBE_ROUTER, 1);
    CHECK_OK (zmq_connect (r2, ep));
    recv_frame_bytes_eq (router, "probe-r", 7, 1);
    recv_frame_bytes_eq (router, "", 0, 0);

    /* The probe lets the ROUTER answer right away. */
    send_str (router, "probe-d", ZMQ_SNDMORE);
    send_str (router, "welcome", 0);
    recv_str_eq (dealer, "welcome", 0);

    zmq_close (r2);
    zmq_close (dealer);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
