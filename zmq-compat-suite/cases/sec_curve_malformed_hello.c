/* behaviour: a CURVE server checks the client's HELLO as libzmq does and reports each failure on its monitor as HANDSHAKE_FAILED_PROTOCOL: a command other than HELLO is ZMTP_UNEXPECTED_COMMAND, a HELLO of the wrong size or with a version other than 1.0 is ZMTP_MALFORMED_COMMAND_HELLO, a well-sized HELLO whose signature box does not open is ZMTP_CRYPTOGRAPHIC; the connection is closed each time. */
#include "wireutil.h"

static void *g_mon;

static void expect_failure (const char *ep, const char *name,
                            const unsigned char *data, size_t len,
                            uint32_t code)
{
    int fd = wu_connect_endpoint (ep);
    wu_send_greeting (fd, 0, "CURVE");
    unsigned char g[64];
    wu_expect_bytes (fd, g, sizeof g, 3000, "greeting");
    wu_send_command (fd, name, data, len);
    uint32_t value = 0;
    int ev = recv_monitor_event (g_mon, 3000, &value, NULL, 0);
    if (ev != ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL || value != code)
        FAIL ("%s of %zu bytes: event 0x%x value 0x%x, expected 0x%x", name,
              len, ev, value, code);
    if (!wu_wait_closed (fd, 3000))
        FAIL ("%s of %zu bytes: connection not closed", name, len);
    close (fd);
}

int main (void)
{
    test_deadline (20);
    if (!zmq_has ("curve"))
        return SKIP_EXIT;
    char pub[41], sec[41];
    CHECK_OK (zmq_curve_keypair (pub, sec));
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *server = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (server);
    set_int (server, ZMQ_CURVE_SERVER, 1);
    CHECK_OK (zmq_setsockopt (server, ZMQ_CURVE_SECRETKEY, sec, 40));
    set_int (server, ZMQ_LINGER, 0);
    char mon_ep[64];
    inproc_endpoint (mon_ep, sizeof mon_ep, "mon");
    CHECK_OK (zmq_socket_monitor (server, mon_ep,
                                  ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
                                    | ZMQ_EVENT_HANDSHAKE_SUCCEEDED));
    g_mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (g_mon);
    CHECK_OK (zmq_connect (g_mon, mon_ep));
    char ep[256];
    bind_tcp_ephemeral (server, ep, sizeof ep);

    /* HELLO body after the name: version (2), padding (72), C' (32),
     * short nonce (8), signature box (80): 194 bytes. */
    unsigned char hello[194];
    memset (hello, 0, sizeof hello);
    hello[0] = 1;
    hello[1] = 0;
    memset (hello + 74, 0x42, 32); /* some C' */
    hello[113] = 1;                /* nonce 1 */
    memset (hello + 114, 0x17, 80); /* a box that does not open */

    expect_failure (ep, "INITIATE", hello, sizeof hello,
                    ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND);
    expect_failure (ep, "HELLO", hello, sizeof hello - 1,
                    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO);
    expect_failure (ep, "HELLO", hello, 10,
                    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO);
    hello[0] = 2;
    expect_failure (ep, "HELLO", hello, sizeof hello,
                    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO);
    hello[0] = 1;
    expect_failure (ep, "HELLO", hello, sizeof hello,
                    ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC);

    zmq_close (g_mon);
    zmq_close (server);
    zmq_ctx_term (ctx);
    return 0;
}
