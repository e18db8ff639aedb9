/* behaviour: a PUSH with no connected peer blocks on send; with ZMQ_SNDTIMEO it gives up with EAGAIN after about that long. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    char ep[256];
    bind_tcp_ephemeral (push, ep, sizeof ep);
    set_int (push, ZMQ_SNDTIMEO, 200);
    long long t0 = now_ms ();
    CHECK_ERR (zmq_send (push, "x", 1, 0), EAGAIN);
    long long dt = now_ms () - t0;
    if (dt < 150 || dt > 3000)
        FAIL ("send timed out after %lld ms, expected ~200", dt);

    /* Once a peer arrives the same send goes through. */
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    CHECK_OK (zmq_connect (pull, ep));
    set_int (push, ZMQ_SNDTIMEO, 5000);
    send_str (push, "now", 0);
    recv_str_eq (pull, "now", 0);
    zmq_close (pull);
    zmq_close (push);
    zmq_ctx_term (ctx);
    return 0;
}
