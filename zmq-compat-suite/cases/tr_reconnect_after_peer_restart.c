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
    /* A message sent while the old connection is dying may be lost with
       it; keep sending until the new peer hears one. */
    deadline = now_ms () + 5000;
    char buf[16];
    for (;;) {
        if (now_ms () > deadline)
            FAIL ("no reconnection to the restarted peer");
        zmq_send (push, "after", 5, ZMQ_DONTWAIT);
        if (recv_str_within (pull, buf, sizeof buf, 50) >= 0)
            break;
    }
    CHECK (strcmp (buf, "after") == 0);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
