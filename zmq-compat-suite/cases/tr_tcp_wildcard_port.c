/* behaviour: binding tcp://127.0.0.1:* picks a free port, reported by ZMQ_LAST_ENDPOINT as tcp://127.0.0.1:<port>, and each bind gets its own port. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    char ep1[256], ep2[256];
    bind_tcp_ephemeral (pull, ep1, sizeof ep1);
    bind_tcp_ephemeral (pull, ep2, sizeof ep2);
    if (strncmp (ep1, "tcp://127.0.0.1:", 16) != 0
        || strncmp (ep2, "tcp://127.0.0.1:", 16) != 0)
        FAIL ("LAST_ENDPOINT '%s' / '%s'", ep1, ep2);
    CHECK (atoi (ep1 + 16) > 0);
    CHECK (strcmp (ep1, ep2) != 0);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    CHECK_OK (zmq_connect (push, ep1));
    CHECK_OK (zmq_connect (push, ep2));
    send_str (push, "1", 0);
    send_str (push, "2", 0);
    char a[8], b[8];
    CHECK (recv_str_within (pull, a, sizeof a, 5000) == 1);
    CHECK (recv_str_within (pull, b, sizeof b, 5000) == 1);
    CHECK (a[0] != b[0]);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
