/* behaviour: the library talks ZMTP 2.0 to a peer announcing revision 1: it answers with its socket-type byte, exchanges empty identity frames and uses 2.0 framing both ways. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pair = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (pair);
    char ep[256];
    bind_tcp_ephemeral (pair, ep, sizeof ep);
    int fd = wu_connect_endpoint (ep);
    unsigned char mine[12];
    wu_signature (mine);
    mine[10] = 0x01; /* revision: ZMTP 2.0 */
    mine[11] = ZMQ_PAIR;
    wu_send_all (fd, mine, sizeof mine);
    unsigned char theirs[12];
    wu_expect_bytes (fd, theirs, 12, 3000, "2.0 greeting");
    CHECK (memcmp (theirs, mine, 10) == 0);
    CHECK_EQ_INT (theirs[10], 3); /* the library's own major version */
    CHECK_EQ_INT (theirs[11], ZMQ_PAIR);

    /* Identity frames: the library sends an empty one; so do we. */
    unsigned char id[2];
    wu_expect_bytes (fd, id, 2, 3000, "identity frame");
    CHECK (id[0] == 0x00 && id[1] == 0x00);
    wu_send_all (fd, "\x00\x00", 2);

    wu_send_msg_str (fd, "v2-hello", 0);
    CHECK (poll_in_ms (pair, 5000));
    recv_str_eq (pair, "v2-hello", 0);
    send_str (pair, "v2-part", ZMQ_SNDMORE);
    send_str (pair, "v2-reply", 0);
    unsigned char buf[32];
    wu_expect_bytes (fd, buf, 2 + 7 + 2 + 8, 3000, "2.0 frames");
    CHECK (memcmp (buf, "\x01\x07" "v2-part" "\x00\x08" "v2-reply", 19) == 0);
    close (fd);
    zmq_close (pair);
    zmq_ctx_term (ctx);
    return 0;
}
