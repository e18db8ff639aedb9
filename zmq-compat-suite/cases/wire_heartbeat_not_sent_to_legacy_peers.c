/* behaviour: ZMQ_HEARTBEAT_IVL/TIMEOUT do not apply to ZMTP 1.0 and 2.0 peers (they have no PING command): nothing but the greeting is sent to them and they are not timed out. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (router);
    set_int (router, ZMQ_HEARTBEAT_IVL, 100);
    set_int (router, ZMQ_HEARTBEAT_TIMEOUT, 300);
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);
    set_int (router, ZMQ_RCVTIMEO, 5000);

    for (int legacy = 0; legacy < 2; legacy++) {
        int fd = wu_connect_endpoint (ep);
        size_t greeting;
        if (legacy == 0) {
            wu_send_all (fd, "\x03\x00id", 4); /* ZMTP 1.0 identity "id" */
            greeting = 10; /* the signature, doubling as an empty identity */
        } else {
            static const unsigned char g[12] = {0xFF, 0, 0, 0, 0,    0,
                                                0,    0, 1, 0x7F, 1, 5};
            wu_send_all (fd, g, sizeof g);
            wu_send_all (fd, "\x00\x03id2", 5);
            greeting = 12 + 2; /* 2.0 greeting and an empty identity frame */
        }
        unsigned char buf[64];
        wu_expect_bytes (fd, buf, greeting, 3000, "greeting");
        /* Ten heartbeat intervals, three timeouts: nothing more arrives and
         * the connection stays. */
        if (wu_readable (fd, 1000)) {
            ssize_t n = recv (fd, buf, sizeof buf, 0);
            FAIL ("ZMTP %s peer: got %zd more bytes (first 0x%02x)",
                  legacy ? "2.0" : "1.0", n, n > 0 ? buf[0] : 0);
        }
        if (legacy == 0)
            wu_send_all (fd, "\x03\x00hi", 4);
        else
            wu_send_all (fd, "\x00\x02hi", 4);
        recv_str_eq (router, legacy ? "id2" : "id", 0);
        recv_str_eq (router, "hi", 0);
        close (fd);
    }
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
