/* behaviour: one socket can be bound on tcp, ipc and inproc at once and receives from peers on all three. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    char eps[3][256];
    bind_tcp_ephemeral (pull, eps[0], sizeof eps[0]);
    ipc_endpoint (eps[1], sizeof eps[1], "multi");
    unlink (eps[1] + 6);
    CHECK_OK (zmq_bind (pull, eps[1]));
    inproc_endpoint (eps[2], sizeof eps[2], "multi");
    CHECK_OK (zmq_bind (pull, eps[2]));
    void *push[3];
    for (int i = 0; i < 3; i++) {
        push[i] = zmq_socket (ctx, ZMQ_PUSH);
        CHECK (push[i]);
        CHECK_OK (zmq_connect (push[i], eps[i]));
        char buf[8];
        snprintf (buf, sizeof buf, "t%d", i);
        send_str (push[i], buf, 0);
    }
    int seen[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) {
        char buf[8];
        if (recv_str_within (pull, buf, sizeof buf, 5000) != 2)
            FAIL ("only %d messages", k);
        seen[buf[1] - '0']++;
    }
    CHECK (seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
    for (int i = 0; i < 3; i++)
        zmq_close (push[i]);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    unlink (eps[1] + 6);
    return 0;
}
