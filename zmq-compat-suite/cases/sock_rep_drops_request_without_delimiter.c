/* behaviour: a REP silently discards a request that has no empty delimiter frame and serves the next well-formed one. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "repnodelim");
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (rep && dealer);
    CHECK_OK (zmq_bind (rep, ep));
    CHECK_OK (zmq_connect (dealer, ep));
    send_str (dealer, "no-delimiter", 0);
    send_str (dealer, "", ZMQ_SNDMORE);
    send_str (dealer, "proper", 0);
    recv_str_eq (rep, "proper", 0);
    send_str (rep, "answer", 0);
    recv_frame_bytes_eq (dealer, "", 0, 1);
    recv_frame_bytes_eq (dealer, "answer", 6, 0);
    expect_silence (rep, 50);
    zmq_close (dealer);
    zmq_close (rep);
    zmq_ctx_term (ctx);
    return 0;
}
