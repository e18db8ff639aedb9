/* behaviour: PUB/SUB filtering looks only at the first frame and delivers or drops a multipart message as a whole. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (pub && sub);
    char ep[256];
    bind_tcp_ephemeral (pub, ep, sizeof ep);
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "key", 3));
    CHECK_OK (zmq_connect (sub, ep));
    pubsub_settle (pub, sub, "key-probe");

    send_str (pub, "nokey", ZMQ_SNDMORE);
    send_str (pub, "key-in-second-frame", 0);
    send_str (pub, "key1", ZMQ_SNDMORE);
    send_str (pub, "other", ZMQ_SNDMORE);
    send_str (pub, "", 0);
    recv_frame_bytes_eq (sub, "key1", 4, 1);
    recv_frame_bytes_eq (sub, "other", 5, 1);
    recv_frame_bytes_eq (sub, "", 0, 0);
    expect_silence (sub, 200);

    set_int (sub, ZMQ_LINGER, 0);
    zmq_close (sub);
    zmq_close (pub);
    zmq_ctx_term (ctx);
    return 0;
}
