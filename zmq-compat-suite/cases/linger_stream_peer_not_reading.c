/* behaviour: a STREAM socket's LINGER bounds zmq_ctx_term while a raw TCP peer reads none of the bytes queued for it (0: at once; 300 ms: after about that). */
#include "wireutil.h"

/* Queues far more than the kernel buffers for a peer that never reads,
 * closes the STREAM socket with `linger` and returns how long
 * zmq_ctx_term took (it must return: a hang ends in SIGALRM). */
static long long term_with_unread_bytes (int linger)
{
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
    size_t size = 1 << 20;
    char *body = calloc (1, size);
    CHECK (body);
    for (int i = 0; i < 32; i++) {
        send_bytes (stream, id, (size_t) idlen, ZMQ_SNDMORE);
        send_bytes (stream, body, size, 0);
    }
    free (body);
    set_int (stream, ZMQ_LINGER, linger);
    long long t0 = now_ms ();
    CHECK_OK (zmq_close (stream));
    CHECK_OK (zmq_ctx_term (ctx));
    long long dt = now_ms () - t0;
    close (fd);
    return dt;
}

int main (void)
{
    test_deadline (20);
    term_with_unread_bytes (0);
    long long dt = term_with_unread_bytes (300);
    if (dt < 200)
        FAIL ("zmq_ctx_term returned after %lld ms, before the 300 ms linger", dt);
    return 0;
}
