/* behaviour: an ipc path used by a socket that was closed can be bound again, in a new context, and works. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    char ep[256];
    ipc_endpoint (ep, sizeof ep, "again");
    unlink (ep + 6);
    for (int round = 0; round < 2; round++) {
        void *ctx = zmq_ctx_new ();
        CHECK (ctx);
        void *pull = zmq_socket (ctx, ZMQ_PULL);
        void *push = zmq_socket (ctx, ZMQ_PUSH);
        CHECK (pull && push);
        CHECK_OK (zmq_bind (pull, ep));
        CHECK_OK (zmq_connect (push, ep));
        send_str (push, round ? "round1" : "round0", 0);
        recv_str_eq (pull, round ? "round1" : "round0", 0);
        zmq_close (push);
        zmq_close (pull);
        zmq_ctx_term (ctx);
    }
    unlink (ep + 6);
    return 0;
}
