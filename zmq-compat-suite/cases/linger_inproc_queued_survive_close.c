/* behaviour: messages an inproc sender queued before closing (default LINGER) are still received by the peer afterwards. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "survive");
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (pull && push);
    CHECK_OK (zmq_bind (pull, ep));
    CHECK_OK (zmq_connect (push, ep));
    for (int i = 0; i < 10; i++) {
        char buf[8];
        snprintf (buf, sizeof buf, "%d", i);
        send_str (push, buf, 0);
    }
    zmq_close (push);
    for (int i = 0; i < 10; i++) {
        char buf[8];
        snprintf (buf, sizeof buf, "%d", i);
        recv_str_eq (pull, buf, 0);
    }
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
