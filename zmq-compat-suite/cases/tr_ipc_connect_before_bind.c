/* behaviour: an ipc connect made before anything is bound succeeds and delivers its queued messages once the path is bound. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    char ep[256];
    ipc_endpoint (ep, sizeof ep, "early");
    unlink (ep + 6);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    set_int (push, ZMQ_RECONNECT_IVL, 20);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "queued", 0);
    msleep (50);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    CHECK_OK (zmq_bind (pull, ep));
    if (!poll_in_ms (pull, 5000))
        FAIL ("queued message not delivered after bind");
    recv_str_eq (pull, "queued", 0);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    unlink (ep + 6);
    return 0;
}
