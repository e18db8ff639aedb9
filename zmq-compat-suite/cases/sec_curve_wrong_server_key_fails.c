/* behaviour: a CURVE client given the wrong server public key never gets a message through; the server's monitor reports HANDSHAKE_FAILED_PROTOCOL with ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC (its HELLO box does not open), and a client with the right key still connects. */
#include "testutil.h"

static void *client (void *ctx, const char *server_pub, const char *ep)
{
    char pub[41], sec[41];
    CHECK_OK (zmq_curve_keypair (pub, sec));
    void *c = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (c);
    CHECK_OK (zmq_setsockopt (c, ZMQ_CURVE_SERVERKEY, server_pub, 40));
    CHECK_OK (zmq_setsockopt (c, ZMQ_CURVE_PUBLICKEY, pub, 40));
    CHECK_OK (zmq_setsockopt (c, ZMQ_CURVE_SECRETKEY, sec, 40));
    set_int (c, ZMQ_LINGER, 0);
    CHECK_OK (zmq_connect (c, ep));
    return c;
}

int main (void)
{
    test_deadline (20);
    if (!zmq_has ("curve"))
        return SKIP_EXIT;
    char spub[41], ssec[41], opub[41], osec[41];
    CHECK_OK (zmq_curve_keypair (spub, ssec));
    CHECK_OK (zmq_curve_keypair (opub, osec));
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *server = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (server);
    set_int (server, ZMQ_CURVE_SERVER, 1);
    CHECK_OK (zmq_setsockopt (server, ZMQ_CURVE_SECRETKEY, ssec, 40));
    set_int (server, ZMQ_LINGER, 0);
    char mon_ep[64];
    inproc_endpoint (mon_ep, sizeof mon_ep, "mon");
    CHECK_OK (zmq_socket_monitor (server, mon_ep,
                                  ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
                                    | ZMQ_EVENT_HANDSHAKE_SUCCEEDED));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (mon);
    CHECK_OK (zmq_connect (mon, mon_ep));
    char ep[256];
    bind_tcp_ephemeral (server, ep, sizeof ep);

    void *bad = client (ctx, opub, ep);
    send_str (bad, "from-bad", 0);
    uint32_t value = 0;
    CHECK_EQ_INT (recv_monitor_event (mon, 3000, &value, NULL, 0),
                  ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL);
    CHECK_EQ_INT (value, ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC);
    set_int (server, ZMQ_RCVTIMEO, 300);
    char buf[64];
    CHECK_ERR (zmq_recv (server, buf, sizeof buf, 0), EAGAIN);
    zmq_close (bad);

    void *good = client (ctx, spub, ep);
    send_str (good, "from-good", 0);
    CHECK_EQ_INT (expect_monitor_event (mon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED,
                                        3000, NULL, 0),
                  0);
    set_int (server, ZMQ_RCVTIMEO, 3000);
    CHECK (zmq_recv (server, buf, sizeof buf, 0) > 0);
    recv_str_eq (server, "from-good", 0);

    zmq_close (good);
    zmq_close (mon);
    zmq_close (server);
    zmq_ctx_term (ctx);
    return 0;
}
