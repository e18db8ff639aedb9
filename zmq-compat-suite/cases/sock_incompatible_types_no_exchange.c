/* behaviour: sockets of incompatible types (e.g. REQ, DEALER, PAIR to a PULL) connect at TCP level but never exchange messages, while a compatible PUSH does. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    int types[3] = {ZMQ_REQ, ZMQ_DEALER, ZMQ_PAIR};
    void *bad[3];
    for (int i = 0; i < 3; i++) {
        bad[i] = zmq_socket (ctx, types[i]);
        CHECK (bad[i]);
        set_int (bad[i], ZMQ_LINGER, 0);
        CHECK_OK (zmq_connect (bad[i], ep));
        /* The message can be queued locally, but must never arrive. */
        zmq_send (bad[i], "wrong", 5, ZMQ_DONTWAIT);
    }
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "right", 0);
    recv_str_eq (pull, "right", 0);
    expect_silence (pull, 500);

    for (int i = 0; i < 3; i++)
        zmq_close (bad[i]);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
