/* behaviour: a STREAM socket announces a new TCP connection with a message [routing id][empty frame], the id being 5 bytes starting with zero. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *stream = zmq_socket (ctx, ZMQ_STREAM);
    CHECK (stream);
    char ep[256];
    bind_tcp_ephemeral (stream, ep, sizeof ep);
    int fd = wu_connect_endpoint (ep);
    unsigned char id[256];
    CHECK (poll_in_ms (stream, 5000));
    int n = zmq_recv (stream, id, sizeof id, 0);
    CHECK_EQ_INT (n, 5);
    CHECK_EQ_INT (id[0], 0);
    CHECK_EQ_INT (get_int (stream, ZMQ_RCVMORE), 1);
    recv_frame_bytes_eq (stream, "", 0, 0);
    /* A STREAM socket never sends a ZMTP greeting to its raw peer. */
    CHECK (!wu_readable (fd, 200));
    close (fd);
    zmq_close (stream);
    zmq_ctx_term (ctx);
    return 0;
}
