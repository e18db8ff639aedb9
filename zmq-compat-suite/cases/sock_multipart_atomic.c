/* behaviour: a multipart message is delivered atomically: nothing is visible to the receiver until the last frame is sent, then all frames arrive with RCVMORE set on all but the last. */
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
    send_str (push, "warmup", 0);
    recv_str_eq (pull, "warmup", 0);

    send_str (push, "a", ZMQ_SNDMORE);
    send_str (push, "b", ZMQ_SNDMORE);
    if (poll_in_ms (pull, 300))
        FAIL ("part of an unfinished multipart message is visible");
    send_str (push, "c", 0);
    const char *parts[3] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        recv_str_eq (pull, parts[i], 0);
        CHECK_EQ_INT (get_int (pull, ZMQ_RCVMORE), i < 2);
    }
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
