/* behaviour: closing a bound socket with linger 0 right after a peer's handshake ends that connection (the peer sees DISCONNECTED), even when the bound side had not finished attaching it */
#include "testutil.h"

/* The race: the connecting SUB reports HANDSHAKE_SUCCEEDED as soon as it
 * has the PUB's READY; the PUB may still be reading the SUB's READY, or
 * handing the new connection to its socket, when zmq_close runs. Every
 * such connection must end with the socket. Looped, since one run hits the
 * window only sometimes. */
int main (void)
{
    test_deadline (25);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    for (int i = 0; i < 40; i++) {
        void *pub = zmq_socket (ctx, ZMQ_PUB);
        void *sub = zmq_socket (ctx, ZMQ_SUB);
        void *mon = zmq_socket (ctx, ZMQ_PAIR);
        CHECK (pub && sub && mon);
        set_int (pub, ZMQ_LINGER, 0);
        set_int (sub, ZMQ_LINGER, 0);
        set_int (mon, ZMQ_LINGER, 0);
        char mep[64];
        snprintf (mep, sizeof mep, "inproc://close-hs-%d", i);
        CHECK_OK (zmq_socket_monitor (sub, mep,
                                      ZMQ_EVENT_HANDSHAKE_SUCCEEDED
                                        | ZMQ_EVENT_DISCONNECTED));
        CHECK_OK (zmq_connect (mon, mep));
        char ep[256];
        bind_tcp_ephemeral (pub, ep, sizeof ep);
        CHECK_OK (zmq_connect (sub, ep));
        expect_monitor_event (mon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 5000, NULL,
                              0);
        CHECK_OK (zmq_close (pub));
        uint32_t v = 0;
        int ev = recv_monitor_event (mon, 5000, &v, NULL, 0);
        if (ev != ZMQ_EVENT_DISCONNECTED)
            FAIL ("round %d: no DISCONNECTED within 5 s of closing the "
                  "PUB (got %d)",
                  i, ev);
        CHECK_OK (zmq_close (sub));
        CHECK_OK (zmq_close (mon));
    }
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
