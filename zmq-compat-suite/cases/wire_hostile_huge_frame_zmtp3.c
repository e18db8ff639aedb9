/* behaviour: after a NULL handshake (ZMTP 3.0 or 3.1), a peer announcing a message or command frame of 2^62 or 2^63 - 1 bytes is disconnected at once, and the bound socket keeps serving other peers. */
#include "wireutil.h"

int main (void)
{
    test_deadline (25);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (router);
    void *mon = wu_monitor (ctx, router, "mon", ZMQ_EVENT_DISCONNECTED);
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);

    static const uint64_t sizes[2] = {(uint64_t) 1 << 62,
                                      ((uint64_t) 1 << 63) - 1};
    static const int flags[3] = {0, WU_MORE, WU_COMMAND};
    for (int minor = 0; minor <= 1; minor++)
        for (int s = 0; s < 2; s++)
            for (int f = 0; f < 3; f++) {
                int fd = wu_connect_endpoint (ep);
                wu_handshake (fd, minor, "DEALER", NULL, "ROUTER");
                unsigned char b[9 + 16];
                b[0] = (unsigned char) (flags[f] | WU_LONG);
                wu_put_u64 (b + 1, sizes[s]);
                memset (b + 9, 'x', 16);
                wu_try_send_all (fd, b, sizeof b);
                if (!wu_wait_closed (fd, 5000))
                    FAIL ("3.%d size %d flags %d: not disconnected", minor, s,
                          flags[f]);
                expect_monitor_event (mon, ZMQ_EVENT_DISCONNECTED, 3000, NULL,
                                      0);
                close (fd);
            }
    wu_router_serves (ctx, router, ep);

    zmq_close (mon);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
