/* behaviour: a STREAM socket gives each TCP client its own routing id and routes data to the right connection. */
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
    int fd[2];
    unsigned char id[2][256];
    int idlen[2];
    for (int i = 0; i < 2; i++) {
        fd[i] = wu_connect_endpoint (ep);
        CHECK (poll_in_ms (stream, 5000));
        idlen[i] = zmq_recv (stream, id[i], sizeof id[i], 0);
        CHECK (idlen[i] > 0);
        recv_frame_bytes_eq (stream, "", 0, 0);
    }
    CHECK (idlen[0] != idlen[1] || memcmp (id[0], id[1], (size_t) idlen[0]));
    /* Data from client 1 carries client 1's id. */
    wu_send_all (fd[1], "1", 1);
    CHECK (poll_in_ms (stream, 5000));
    recv_frame_bytes_eq (stream, id[1], (size_t) idlen[1], 1);
    recv_frame_bytes_eq (stream, "1", 1, 0);
    for (int i = 1; i >= 0; i--) {
        send_bytes (stream, id[i], (size_t) idlen[i], ZMQ_SNDMORE);
        send_str (stream, i ? "to-1" : "to-0", 0);
    }
    for (int i = 0; i < 2; i++) {
        char buf[4];
        wu_expect_bytes (fd[i], buf, 4, 3000, "routed data");
        CHECK (memcmp (buf, i ? "to-1" : "to-0", 4) == 0);
        CHECK (!wu_readable (fd[i], 50));
        close (fd[i]);
    }
    zmq_close (stream);
    zmq_ctx_term (ctx);
    return 0;
}
