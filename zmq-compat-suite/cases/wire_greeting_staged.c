/* behaviour: the library sends its ZMTP 3.1 greeting in stages: major version 3 after the peer's signature, then minor 1, mechanism NULL, as-server 0 and zero filler after the peer's major version. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    int fd = wu_connect_endpoint (ep);
    unsigned char g[64];
    wu_expect_bytes (fd, g, 10, 3000, "signature");

    unsigned char mine[64];
    wu_greeting (mine, 3, 1, "NULL", 0);
    wu_send_all (fd, mine, 10);
    wu_expect_bytes (fd, g + 10, 1, 3000, "major version");
    CHECK_EQ_INT (g[10], 3);
    if (wu_readable (fd, 300))
        FAIL ("library sent past the major version before the peer's");

    wu_send_all (fd, mine + 10, 1);
    wu_expect_bytes (fd, g + 11, 53, 3000, "rest of greeting");
    CHECK_EQ_INT (g[11], 1);
    static const char mech[20] = "NULL";
    CHECK (memcmp (g + 12, mech, 20) == 0);
    CHECK_EQ_INT (g[32], 0);
    for (int i = 33; i < 64; i++)
        if (g[i] != 0)
            FAIL ("filler byte %d is %02x", i, g[i]);

    /* The rest of our greeting completes the exchange: READY follows. */
    wu_send_all (fd, mine + 11, 53);
    wu_send_ready (fd, "PUSH", NULL);
    wu_expect_ready (fd, "PULL");
    close (fd);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
