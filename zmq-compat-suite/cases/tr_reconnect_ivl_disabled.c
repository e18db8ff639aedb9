/* behaviour: with ZMQ_RECONNECT_IVL -1 a connecting socket does not reconnect after its peer goes away, so a restarted peer never hears from it. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (pull && push);
    set_int (push, ZMQ_RECONNECT_IVL, -1);
    CHECK_EQ_INT (get_int (push, ZMQ_RECONNECT_IVL), -1);
    set_int (push, ZMQ_LINGER, 0);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "before", 0);
    recv_str_eq (pull, "before", 0);

    set_int (pull, ZMQ_LINGER, 0);
    zmq_close (pull);
    pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    long long deadline = now_ms () + 5000;
    while (zmq_bind (pull, ep) != 0) {
        CHECK_EQ_INT (zmq_errno (), EADDRINUSE);
        if (now_ms () > deadline)
            FAIL ("could not rebind %s", ep);
        msleep (20);
    }
    /* Keep offering messages for a while; none may arrive. */
    for (int i = 0; i < 20; i++) {
        zmq_send (push, "after", 5, ZMQ_DONTWAIT);
        msleep (25);
    }
    expect_silence (pull, 300);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
