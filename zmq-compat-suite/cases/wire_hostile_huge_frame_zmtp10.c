/* behaviour: a ZMTP 1.0 peer that announces a frame of 2^62 bytes or more after its identity frame is disconnected at once (no memory could hold it), and the bound socket keeps serving other peers. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (router);
    void *mon = wu_monitor (ctx, router, "mon", ZMQ_EVENT_ALL);
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);

    /* Sizes count the flags octet: 2^62, 2^63 - 1 and 2^63 + 1. */
    static const uint64_t sizes[3] = {(uint64_t) 1 << 62,
                                      ((uint64_t) 1 << 63) - 1,
                                      ((uint64_t) 1 << 63) + 1};
    for (int round = 0; round < 3; round++) {
        int fd = wu_connect_endpoint (ep);
        /* An empty 1.0 identity frame (size 1: flags only), then the long
         * frame's header and a few body bytes. */
        unsigned char b[24] = {0x01, 0x00, 0xFF};
        wu_put_u64 (b + 3, sizes[round]);
        b[11] = 0x00;
        memset (b + 12, 'x', 12);
        wu_try_send_all (fd, b, sizeof b);
        if (!wu_wait_closed (fd, 5000))
            FAIL ("round %d: peer announcing a huge frame not disconnected",
                  round);
        wu_expect_silent_disconnect (mon, "ZMTP 1.0 huge frame");
        close (fd);
    }
    wu_router_serves (ctx, router, ep);

    zmq_close (mon);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
