/* behaviour: a tcp connect may name the host by DNS name (localhost); ZMQ_LAST_ENDPOINT after connect returns the endpoint as given. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (pull && push);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    char cep[64];
    snprintf (cep, sizeof cep, "tcp://localhost:%d", wu_endpoint_port (ep));
    CHECK_OK (zmq_connect (push, cep));
    char le[256];
    size_t len = sizeof le;
    CHECK_OK (zmq_getsockopt (push, ZMQ_LAST_ENDPOINT, le, &len));
    if (strcmp (le, cep) != 0)
        FAIL ("LAST_ENDPOINT after connect '%s', want '%s'", le, cep);
    send_str (push, "by-name", 0);
    if (!poll_in_ms (pull, 5000))
        FAIL ("nothing received through localhost");
    recv_str_eq (pull, "by-name", 0);
    /* Disconnect takes the same text. */
    CHECK_OK (zmq_disconnect (push, cep));
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
