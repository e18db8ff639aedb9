/* behaviour: a STREAM socket refuses to send to an unknown routing id with EHOSTUNREACH. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *stream = zmq_socket (ctx, ZMQ_STREAM);
    CHECK (stream);
    char ep[256];
    bind_tcp_ephemeral (stream, ep, sizeof ep);
    CHECK_ERR (zmq_send (stream, "\0abcd", 5, ZMQ_SNDMORE), EHOSTUNREACH);
    zmq_close (stream);
    zmq_ctx_term (ctx);
    return 0;
}
