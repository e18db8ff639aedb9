/* behaviour: REQ/REP round trips over tcp: REP sees only the request body (no envelope) and the reply returns to the requester. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK (rep && req);
    char ep[256];
    bind_tcp_ephemeral (rep, ep, sizeof ep);
    CHECK_OK (zmq_connect (req, ep));
    for (int i = 0; i < 3; i++) {
        send_str (req, "ping", ZMQ_SNDMORE);
        send_str (req, "part2", 0);
        recv_frame_bytes_eq (rep, "ping", 4, 1);
        recv_frame_bytes_eq (rep, "part2", 5, 0);
        send_str (rep, "pong", 0);
        recv_frame_bytes_eq (req, "pong", 4, 0);
    }
    zmq_close (req);
    zmq_close (rep);
    zmq_ctx_term (ctx);
    return 0;
}
