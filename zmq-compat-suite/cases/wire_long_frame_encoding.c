/* behaviour: frames up to 255 bytes go out with a 1-byte size; longer ones with the LONG flag (0x02) and an 8-byte big-endian size. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    char ep[256];
    bind_tcp_ephemeral (push, ep, sizeof ep);
    int fd = wu_peer_connect (ep, "PULL", "PUSH");
    static char body[70000];
    memset (body, 'b', sizeof body);
    send_bytes (push, body, 255, 0);
    send_bytes (push, body, 256, ZMQ_SNDMORE);
    send_bytes (push, body, 70000, 0);

    unsigned char hdr[9];
    static unsigned char buf[70000];
    wu_expect_bytes (fd, hdr, 2, 3000, "short header");
    CHECK_EQ_INT (hdr[0], 0x00);
    CHECK_EQ_INT (hdr[1], 255);
    wu_expect_bytes (fd, buf, 255, 3000, "255-byte body");

    wu_expect_bytes (fd, hdr, 9, 3000, "long header");
    CHECK_EQ_INT (hdr[0], 0x03); /* LONG | MORE */
    static const unsigned char len256[8] = {0, 0, 0, 0, 0, 0, 1, 0};
    CHECK (memcmp (hdr + 1, len256, 8) == 0);
    wu_expect_bytes (fd, buf, 256, 3000, "256-byte body");

    wu_expect_bytes (fd, hdr, 9, 3000, "long header");
    CHECK_EQ_INT (hdr[0], 0x02);
    static const unsigned char len70000[8] = {0, 0, 0, 0, 0, 0x01, 0x11, 0x70};
    CHECK (memcmp (hdr + 1, len70000, 8) == 0);
    wu_expect_bytes (fd, buf, 70000, 3000, "70000-byte body");
    CHECK (memcmp (buf, body, 70000) == 0);
    close (fd);
    set_int (push, ZMQ_LINGER, 0);
    zmq_close (push);
    zmq_ctx_term (ctx);
    return 0;
}
