/* behaviour: the frames of a multipart message whose sender closes before sending the last frame are never delivered. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (pull && push);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "complete", 0);
    send_str (push, "half-1", ZMQ_SNDMORE);
    send_str (push, "half-2", ZMQ_SNDMORE);
    zmq_close (push);
    recv_str_eq (pull, "complete", 0);
    expect_silence (pull, 300);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
