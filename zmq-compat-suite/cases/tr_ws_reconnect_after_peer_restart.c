/* behaviour: a ws connecter reconnects (new HTTP upgrade) after the bound peer is closed and bound again on the same endpoint, and queued messages then flow. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (pull && push);
    set_int (push, ZMQ_RECONNECT_IVL, 50);
    set_int (pull, ZMQ_RCVTIMEO, 5000);
    CHECK_OK (zmq_bind (pull, "ws://127.0.0.1:*/again"));
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, ep, &len));
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "before", 0);
    recv_str_eq (pull, "before", 0);
    set_int (pull, ZMQ_LINGER, 0);
    CHECK_OK (zmq_close (pull));
    msleep (200);
    pull = zmq_socket (ctx, ZMQ_PULL);
    set_int (pull, ZMQ_RCVTIMEO, 5000);
    CHECK_OK (zmq_bind (pull, ep));
    send_str (push, "after", 0);
    recv_str_eq (pull, "after", 0);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
