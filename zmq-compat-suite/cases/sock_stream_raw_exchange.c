/* behaviour: a STREAM socket delivers raw TCP bytes as [id][data] and writes [id][data] to that connection unframed. */
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
    int idlen = zmq_recv (stream, id, sizeof id, 0);
    CHECK (idlen > 0);
    recv_frame_bytes_eq (stream, "", 0, 0);

    wu_send_all (fd, "GET / HTTP/1.0\r\n\r\n", 18);
    /* TCP may split the bytes; gather until all 18 arrived. */
    char data[64];
    size_t have = 0;
    while (have < 18) {
        unsigned char rid[256];
        CHECK (poll_in_ms (stream, 5000));
        int n = zmq_recv (stream, rid, sizeof rid, 0);
        CHECK (n == idlen && memcmp (rid, id, (size_t) n) == 0);
        CHECK_EQ_INT (get_int (stream, ZMQ_RCVMORE), 1);
        n = zmq_recv (stream, data + have, sizeof data - have, 0);
        CHECK (n > 0);
        CHECK_EQ_INT (get_int (stream, ZMQ_RCVMORE), 0);
        have += (size_t) n;
    }
    CHECK (memcmp (data, "GET / HTTP/1.0\r\n\r\n", 18) == 0);

    send_bytes (stream, id, (size_t) idlen, ZMQ_SNDMORE);
    send_str (stream, "HTTP/1.0 200 OK\r\n", 0);
    char reply[17];
    wu_expect_bytes (fd, reply, 17, 3000, "raw reply");
    CHECK (memcmp (reply, "HTTP/1.0 200 OK\r\n", 17) == 0);

    close (fd);
    zmq_close (stream);
    zmq_ctx_term (ctx);
    return 0;
}
