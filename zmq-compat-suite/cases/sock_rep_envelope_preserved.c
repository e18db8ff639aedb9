/* behaviour: REP strips every frame up to the empty delimiter from a request and puts that envelope back in front of its reply. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (rep && dealer);
    char ep[256];
    bind_tcp_ephemeral (rep, ep, sizeof ep);
    CHECK_OK (zmq_connect (dealer, ep));
    send_str (dealer, "hop1", ZMQ_SNDMORE);
    send_str (dealer, "hop2", ZMQ_SNDMORE);
    send_str (dealer, "", ZMQ_SNDMORE);
    send_str (dealer, "body", 0);
    recv_frame_bytes_eq (rep, "body", 4, 0);
    send_str (rep, "answer", 0);
    recv_frame_bytes_eq (dealer, "hop1", 4, 1);
    recv_frame_bytes_eq (dealer, "hop2", 4, 1);
    recv_frame_bytes_eq (dealer, "", 0, 1);
    recv_frame_bytes_eq (dealer, "answer", 6, 0);

    zmq_close (dealer);
    zmq_close (rep);
    zmq_ctx_term (ctx);
    return 0;
}
