/* behaviour: messages of several MiB (5 MiB + 3, 12 MiB, and a 9 MiB frame inside a multipart message) cross tcp intact, in clear and under CURVE, followed by small frames in order. */
#include "testutil.h"

static unsigned char pattern (size_t i, unsigned seed)
{
    return (unsigned char) (((i + seed) * 2654435761u) >> 13);
}

static void send_big (void *s, size_t size, unsigned seed, int flags)
{
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init_size (&m, size));
    unsigned char *d = zmq_msg_data (&m);
    for (size_t i = 0; i < size; i++)
        d[i] = pattern (i, seed);
    CHECK_EQ_INT (zmq_msg_send (&m, s, flags), (int) size);
}

static void recv_big (void *s, size_t size, unsigned seed, int more)
{
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    CHECK_EQ_INT (zmq_msg_recv (&m, s, 0), (int) size);
    const unsigned char *d = zmq_msg_data (&m);
    for (size_t i = 0; i < size; i++)
        if (d[i] != pattern (i, seed))
            FAIL ("%zu-byte message differs at byte %zu", size, i);
    CHECK_EQ_INT (zmq_msg_more (&m), more);
    zmq_msg_close (&m);
}

static void exchange (void *ctx, int curve)
{
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (a && b);
    if (curve) {
        char spub[41], ssec[41], cpub[41], csec[41];
        CHECK_OK (zmq_curve_keypair (spub, ssec));
        CHECK_OK (zmq_curve_keypair (cpub, csec));
        set_int (a, ZMQ_CURVE_SERVER, 1);
        CHECK_OK (zmq_setsockopt (a, ZMQ_CURVE_SECRETKEY, ssec, 40));
        CHECK_OK (zmq_setsockopt (b, ZMQ_CURVE_SERVERKEY, spub, 40));
        CHECK_OK (zmq_setsockopt (b, ZMQ_CURVE_PUBLICKEY, cpub, 40));
        CHECK_OK (zmq_setsockopt (b, ZMQ_CURVE_SECRETKEY, csec, 40));
    }
    set_int (a, ZMQ_RCVTIMEO, 10000);
    char ep[256];
    bind_tcp_ephemeral (a, ep, sizeof ep);
    CHECK_OK (zmq_connect (b, ep));
    const size_t mib = 1024 * 1024;
    send_big (b, 5 * mib + 3, 1, 0);
    send_big (b, 12 * mib, 2, 0);
    send_str (b, "head", ZMQ_SNDMORE);
    send_big (b, 9 * mib, 3, ZMQ_SNDMORE);
    send_str (b, "tail", 0);
    send_str (b, "after", 0);
    recv_big (a, 5 * mib + 3, 1, 0);
    recv_big (a, 12 * mib, 2, 0);
    recv_str_eq (a, "head", 0);
    recv_big (a, 9 * mib, 3, 1);
    recv_str_eq (a, "tail", 0);
    recv_str_eq (a, "after", 0);
    set_int (b, ZMQ_LINGER, 0);
    zmq_close (b);
    zmq_close (a);
}

int main (void)
{
    test_deadline (25);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    exchange (ctx, 0);
    if (zmq_has ("curve"))
        exchange (ctx, 1);
    zmq_ctx_term (ctx);
    return 0;
}
