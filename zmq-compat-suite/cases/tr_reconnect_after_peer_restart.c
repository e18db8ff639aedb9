/* behaviour: a connecting socket reconnects by itself when its peer goes away and a new one binds the same tcp address. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (pull && push);
    set_int (push, ZMQ_RECONNECT_IVL, 50);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "before", 0);
    recv_str_eq (pull, "before", 0);

    zmq_close (pull);
    pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    /* The old listener is released asynchronously. */
    long long deadline = now_ms () + 5000;
    while (zmq_bind (pull, ep) != 0) {
        CHECK_EQ_INT (zmq_errno (), EADDRINUSE);
        if (now_ms () > deadline)
            FAIL ("could not rebind %s", ep);
        msleep (20);
    }
    send_str (push, "after", 0);
    if (!poll_in_ms (pull, 5000))
        FAIL ("no reconnection to the restarted peer");
    recv_str_eq (pull, "after", 0);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
