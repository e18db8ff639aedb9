/* behaviour: ZMQ_LAST_ENDPOINT tracks the most recent successful bind, inproc included, and a failed bind leaves it unchanged */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    void *other = zmq_socket (ctx, ZMQ_PULL);
    CHECK (ctx && s && other);
    char buf[256];
    size_t l;
    CHECK_OK (zmq_bind (s, "inproc://opt-last-1"));
    l = sizeof buf;
    CHECK_OK (zmq_getsockopt (s, ZMQ_LAST_ENDPOINT, buf, &l));
    CHECK (strcmp (buf, "inproc://opt-last-1") == 0);
    char tcp[256];
    bind_tcp_ephemeral (s, tcp, sizeof tcp);
    CHECK (strncmp (tcp, "tcp://127.0.0.1:", 16) == 0);
    CHECK_OK (zmq_bind (other, "inproc://opt-last-taken"));
    CHECK_ERR (zmq_bind (s, "inproc://opt-last-taken"), EADDRINUSE);
    l = sizeof buf;
    CHECK_OK (zmq_getsockopt (s, ZMQ_LAST_ENDPOINT, buf, &l));
    CHECK (strcmp (buf, tcp) == 0);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_close (other));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
