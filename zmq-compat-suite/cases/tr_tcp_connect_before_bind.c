/* behaviour: a tcp connect to an address nobody listens on succeeds, keeps retrying, and delivers queued messages once a peer binds there. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (push && pull);
    set_int (push, ZMQ_RECONNECT_IVL, 20);
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", wu_free_port ());
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "queued", 0);
    msleep (100); /* a few failed connection attempts */
    if (zmq_bind (pull, ep) != 0) {
        fprintf (stderr, "port taken by another process\n");
        return SKIP_EXIT;
    }
    if (!poll_in_ms (pull, 5000))
        FAIL ("queued message not delivered after the bind");
    recv_str_eq (pull, "queued", 0);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
