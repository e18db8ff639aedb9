/* behaviour: the library falls back to ZMTP 1.0 for a peer whose first byte is not 0xFF, with 1.0 framing (length including the flags byte, then flags) both ways. */
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
    /* The library's signature doubles as a 1.0 empty identity frame. */
    unsigned char sig[10];
    wu_expect_bytes (fd, sig, 10, 3000, "signature");
    /* Our identity frame: length 1 (just the flags byte), flags 0. */
    wu_send_all (fd, "\x01\x00", 2);
    /* A message: length 6 = flags + "hello". */
    wu_send_all (fd, "\x06\x00" "hello", 7);
    CHECK (poll_in_ms (pair, 5000));
    recv_str_eq (pair, "hello", 0);

    send_str (pair, "a", ZMQ_SNDMORE);
    send_str (pair, "to-v1", 0);
    unsigned char buf[16];
    wu_expect_bytes (fd, buf, 3 + 7, 3000, "1.0 frames");
    CHECK (memcmp (buf, "\x02\x01" "a" "\x06\x00" "to-v1", 10) == 0);
    /* No 3.x greeting bytes were sent after the signature. */
    close (fd);
    zmq_close (pair);
    zmq_ctx_term (ctx);
    return 0;
}
