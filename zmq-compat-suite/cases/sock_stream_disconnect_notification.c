/* behaviour: a STREAM socket announces that a TCP peer closed its connection with a message [routing id][empty frame]. */
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
    unsigned char id[256], id2[256];
    int idlen = zmq_recv (stream, id, sizeof id, 0);
    CHECK (idlen > 0);
    recv_frame_bytes_eq (stream, "", 0, 0);
    close (fd);
    if (!poll_in_ms (stream, 5000))
        FAIL ("no disconnect notification");
    int n = zmq_recv (stream, id2, sizeof id2, 0);
    CHECK (n == idlen && memcmp (id, id2, (size_t) n) == 0);
    recv_frame_bytes_eq (stream, "", 0, 0);
    zmq_close (stream);
    zmq_ctx_term (ctx);
    return 0;
}
