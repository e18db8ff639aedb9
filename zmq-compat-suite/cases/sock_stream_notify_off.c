/* behaviour: with ZMQ_STREAM_NOTIFY=0 a STREAM socket sends no connect or disconnect notifications, only data. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *stream = zmq_socket (ctx, ZMQ_STREAM);
    CHECK (stream);
    set_int (stream, ZMQ_STREAM_NOTIFY, 0);
    char ep[256];
    bind_tcp_ephemeral (stream, ep, sizeof ep);
    int fd = wu_connect_endpoint (ep);
    expect_silence (stream, 300);
    wu_send_all (fd, "x", 1);
    unsigned char id[256];
    CHECK (poll_in_ms (stream, 5000));
    int n = zmq_recv (stream, id, sizeof id, 0);
    CHECK (n > 0);
    recv_frame_bytes_eq (stream, "x", 1, 0);
    close (fd);
    expect_silence (stream, 300);
    zmq_close (stream);
    zmq_ctx_term (ctx);
    return 0;
}
