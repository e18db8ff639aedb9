/* behaviour: with ZMQ_IPV6 a wildcard tcp bind listens on [::] and accepts IPv4 clients too. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    int probe = socket (AF_INET6, SOCK_STREAM, 0);
    if (probe < 0) {
        fprintf (stderr, "no IPv6 sockets\n");
        return SKIP_EXIT;
    }
    close (probe);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    set_int (pull, ZMQ_IPV6, 1);
    if (zmq_bind (pull, "tcp://*:*") != 0) {
        fprintf (stderr, "IPv6 wildcard bind unavailable: %s\n",
                 zmq_strerror (zmq_errno ()));
        return SKIP_EXIT;
    }
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, ep, &len));
    if (strncmp (ep, "tcp://[::]:", 11) != 0)
        FAIL ("LAST_ENDPOINT '%s'", ep);
    int port = atoi (ep + 11);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    char cep[64];
    snprintf (cep, sizeof cep, "tcp://127.0.0.1:%d", port);
    CHECK_OK (zmq_connect (push, cep));
    send_str (push, "v4-client", 0);
    recv_str_eq (pull, "v4-client", 0);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
