/* behaviour: frames of every WebSocket length encoding (7-bit, 16-bit, 64-bit, at the 125/126 and 65535/65536 edges) and a 4 MiB frame cross ws intact in both directions. */
#include "testutil.h"

static void fill (unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char) (i * 31 + seed + (i >> 8));
}

static void check_frame (void *s, size_t n, unsigned seed, int more)
{
    zmq_msg_t m;
    zmq_msg_init (&m);
    if (zmq_msg_recv (&m, s, 0) != (int) n)
        FAIL ("frame of %zu bytes: got %zu (errno %d)", n, zmq_msg_size (&m),
              zmq_errno ());
    unsigned char *want = malloc (n + 1);
    fill (want, n, seed);
    if (memcmp (zmq_msg_data (&m), want, n) != 0)
        FAIL ("frame of %zu bytes differs", n);
    if (zmq_msg_more (&m) != more)
        FAIL ("frame of %zu bytes: more %d", n, zmq_msg_more (&m));
    free (want);
    zmq_msg_close (&m);
}

int main (void)
{
    test_deadline (20);
    static const size_t sizes[] = {0,     1,     124,   125,    126,    127,
                                   254,   255,   256,   65534,  65535,  65536,
                                   65537, 100000, 4u << 20};
    const int n = (int) (sizeof sizes / sizeof sizes[0]);
    unsigned char *buf = malloc ((4u << 20) + 1);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK_OK (zmq_bind (a, "ws://127.0.0.1:*/big"));
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (a, ZMQ_LAST_ENDPOINT, ep, &len));
    CHECK_OK (zmq_connect (b, ep));
    void *pairs[2][2] = {{b, a}, {a, b}}; /* client->server, server->client */
    for (int d = 0; d < 2; d++) {
        for (int i = 0; i < n; i++) {
            fill (buf, sizes[i], (unsigned) i);
            if (zmq_send (pairs[d][0], buf, sizes[i],
                          i + 1 < n ? ZMQ_SNDMORE : 0)
                != (int) sizes[i])
                FAIL ("send %zu", sizes[i]);
        }
        for (int i = 0; i < n; i++)
            check_frame (pairs[d][1], sizes[i], (unsigned) i, i + 1 < n);
    }
    free (buf);
    zmq_close (a);
    zmq_close (b);
    zmq_ctx_term (ctx);
    return 0;
}
