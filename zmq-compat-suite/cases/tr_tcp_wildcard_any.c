/* behaviour: a tcp bind with host and port both "*" listens on all IPv4 interfaces on a kernel-chosen port, reported by ZMQ_LAST_ENDPOINT as tcp://0.0.0.0:<port>. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    CHECK_OK (zmq_bind (pull, "tcp://*:*"));
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, ep, &len));
    CHECK_EQ_INT (len, strlen (ep) + 1);
    if (strncmp (ep, "tcp://0.0.0.0:", 14) != 0)
        FAIL ("LAST_ENDPOINT '%s'", ep);
    int port = atoi (ep + 14);
    CHECK (port > 0 && port < 65536);

    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    char cep[64];
    snprintf (cep, sizeof cep, "tcp://127.0.0.1:%d", port);
    CHECK_OK (zmq_connect (push, cep));
    send_str (push, "via-loopback", 0);
    recv_str_eq (pull, "via-loopback", 0);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
