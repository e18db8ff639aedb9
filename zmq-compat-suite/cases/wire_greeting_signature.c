/* behaviour: on a new tcp connection the library first sends only the 10-byte ZMTP signature FF 00 00 00 00 00 00 00 01 7F and waits for the peer's. */
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
    unsigned char sig[10], want[10];
    wu_expect_bytes (fd, sig, 10, 3000, "signature");
    wu_signature (want);
    for (int i = 0; i < 10; i++)
        if (sig[i] != want[i])
            FAIL ("signature byte %d is %02x, want %02x", i, sig[i], want[i]);
    /* Nothing more until the peer's signature arrives. */
    if (wu_readable (fd, 300))
        FAIL ("library sent more than the signature before the peer's");
    close (fd);

    /* The connecting side behaves the same. */
    int port;
    int lfd = wu_listen (&port);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    set_int (push, ZMQ_LINGER, 0);
    char cep[64];
    snprintf (cep, sizeof cep, "tcp://127.0.0.1:%d", port);
    CHECK_OK (zmq_connect (push, cep));
    int cfd = wu_accept (lfd, 5000);
    wu_expect_bytes (cfd, sig, 10, 3000, "signature from connecter");
    CHECK (memcmp (sig, want, 10) == 0);
    if (wu_readable (cfd, 300))
        FAIL ("connecter sent more than the signature before the peer's");
    close (cfd);
    close (lfd);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
