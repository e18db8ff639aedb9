/* behaviour: a ZMTP 1.0 or 2.0 peer (no security mechanism) gets no HANDSHAKE_SUCCEEDED event; when its connection ends, libzmq reports HANDSHAKE_FAILED_NO_DETAIL with the errno of the call that saw it (EPIPE for a close; for a reset ECONNRESET, or EPIPE when libzmq's write meets it first: the reference gives either under load) and then DISCONNECTED. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (router);
    char mon_ep[64];
    inproc_endpoint (mon_ep, sizeof mon_ep, "mon");
    CHECK_OK (zmq_socket_monitor (router, mon_ep,
                                  ZMQ_EVENT_HANDSHAKE_SUCCEEDED
                                    | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
                                    | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
                                    | ZMQ_EVENT_DISCONNECTED));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (mon);
    CHECK_OK (zmq_connect (mon, mon_ep));
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);
    set_int (router, ZMQ_RCVTIMEO, 5000);

    for (int legacy = 0; legacy < 2; legacy++) {
        int fd = wu_connect_endpoint (ep);
        if (legacy == 0) {
            /* ZMTP 1.0: identity "id", then a message "hi". */
            wu_send_all (fd, "\x03\x00id\x03\x00hi", 8);
        } else {
            /* ZMTP 2.0 greeting as a DEALER, identity frame, message. */
            static const unsigned char g[12] = {0xFF, 0, 0, 0, 0,    0,
                                                0,    0, 1, 0x7F, 1, 5};
            wu_send_all (fd, g, sizeof g);
            wu_send_all (fd, "\x00\x03id2\x00\x02hi", 9);
        }
        /* Distinct ids: the first peer's may not be forgotten yet. */
        recv_str_eq (router, legacy ? "id2" : "id", 0);
        recv_str_eq (router, "hi", 0);
        int want;
        if (legacy == 0) {
            /* An orderly close: the library reads end of stream. */
            shutdown (fd, SHUT_WR);
            if (!wu_wait_closed (fd, 5000))
                FAIL ("ZMTP 1.0 peer: library did not close after EOF");
            want = EPIPE;
        } else {
            /* A reset. */
            struct linger lg = {1, 0};
            setsockopt (fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
            want = ECONNRESET;
        }
        close (fd);
        uint32_t value = 0;
        int ev = recv_monitor_event (mon, 3000, &value, NULL, 0);
        if (ev != ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL)
            FAIL ("ZMTP %s peer: first event 0x%x, want HANDSHAKE_FAILED_"
                  "NO_DETAIL",
                  legacy ? "2.0" : "1.0", ev);
        if (!((int) value == want || (want == ECONNRESET && (int) value == EPIPE)))
            FAIL ("ZMTP %s peer: errno %u, want %d", legacy ? "2.0" : "1.0",
                  value, want);
        ev = recv_monitor_event (mon, 3000, NULL, NULL, 0);
        if (ev != ZMQ_EVENT_DISCONNECTED)
            FAIL ("ZMTP %s peer: second event 0x%x, want DISCONNECTED",
                  legacy ? "2.0" : "1.0", ev);
    }
    zmq_close (mon);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
