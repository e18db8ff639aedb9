/* behaviour: a ROUTER uses the Identity property of a peer's READY as that peer's routing id, for receiving and for routing replies. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (router);
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);
    int fd = wu_connect_endpoint (ep);
    wu_handshake (fd, 1, "DEALER", "rawpeer", "ROUTER");
    wu_send_msg_str (fd, "from-raw", 0);
    CHECK (poll_in_ms (router, 5000));
    recv_frame_bytes_eq (router, "rawpeer", 7, 1);
    recv_frame_bytes_eq (router, "from-raw", 8, 0);
    send_str (router, "rawpeer", ZMQ_SNDMORE);
    send_str (router, "to-raw", 0);
    /* The routing id frame itself is not sent on the wire. */
    wu_expect_msg_str (fd, "to-raw", 0);
    close (fd);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
