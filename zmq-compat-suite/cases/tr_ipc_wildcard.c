/* behaviour: binding the ipc wildcard endpoint ("*" as path) creates a unique socket path that ZMQ_LAST_ENDPOINT reports and peers can connect to. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    /* The library places wildcard sockets under $TMPDIR. */
    setenv ("TMPDIR", "/tmp", 1);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    CHECK_OK (zmq_bind (pull, "ipc://*"));
    char ep1[256], ep2[256];
    size_t len = sizeof ep1;
    CHECK_OK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, ep1, &len));
    CHECK_OK (zmq_bind (pull, "ipc://*"));
    len = sizeof ep2;
    CHECK_OK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, ep2, &len));
    if (strncmp (ep1, "ipc://", 6) != 0 || strcmp (ep1, "ipc://*") == 0
        || strlen (ep1) < 8)
        FAIL ("LAST_ENDPOINT '%s'", ep1);
    if (strcmp (ep1, ep2) == 0)
        FAIL ("two wildcard binds got the same path %s", ep1);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    CHECK_OK (zmq_connect (push, ep1));
    CHECK_OK (zmq_connect (push, ep2));
    send_str (push, "w1", 0);
    send_str (push, "w2", 0);
    char a[8], b[8];
    CHECK (recv_str_within (pull, a, sizeof a, 5000) == 2);
    CHECK (recv_str_within (pull, b, sizeof b, 5000) == 2);
    CHECK (a[1] != b[1]);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
