/* behaviour: a PUSH socket sends each frame to a raw ZMTP peer as flags + 1-byte size + body, with the MORE flag (0x01) on all but the last frame. */
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
    send_str (push, "first", ZMQ_SNDMORE);
    send_str (push, "", ZMQ_SNDMORE);
    send_str (push, "last", 0);
    unsigned char raw[32];
    wu_expect_bytes (fd, raw, 2 + 5 + 2 + 2 + 4, 3000, "three frames");
    static const unsigned char want[] = {0x01, 5, 'f', 'i', 'r', 's', 't',
                                         0x01, 0, 0x00, 4, 'l', 'a', 's', 't'};
    for (size_t i = 0; i < sizeof want; i++)
        if (raw[i] != want[i])
            FAIL ("byte %zu is %02x, want %02x", i, raw[i], want[i]);
    close (fd);
    set_int (push, ZMQ_LINGER, 0);
    zmq_close (push);
    zmq_ctx_term (ctx);
    return 0;
}
