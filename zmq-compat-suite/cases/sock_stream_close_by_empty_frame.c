/* behaviour: sending [id][empty frame] on a STREAM socket closes that TCP connection. */
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

    send_bytes (stream, id, (size_t) idlen, ZMQ_SNDMORE);
    send_str (stream, "bye", 0);
    send_bytes (stream, id, (size_t) idlen, ZMQ_SNDMORE);
    send_bytes (stream, "", 0, 0);
    char buf[3];
    wu_expect_bytes (fd, buf, 3, 3000, "data before close");
    CHECK (memcmp (buf, "bye", 3) == 0);
    /* The socket finishes the close while its owner calls into it. */
    long long deadline = now_ms () + 5000;
    for (;;) {
        if (now_ms () > deadline)
            FAIL ("connection not closed by the empty frame");
        get_int (stream, ZMQ_EVENTS);
        if (wu_wait_closed (fd, 20))
            break;
    }
    close (fd);
    zmq_close (stream);
    zmq_ctx_term (ctx);
    return 0;
}
