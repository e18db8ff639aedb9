/* behaviour: a ws listener closes connections whose HTTP upgrade is garbage, not an upgrade, offers no supported subprotocol, or never ends its head, and keeps serving good clients. */
#include "wireutil.h"

static void expect_dropped (const char *ep, const char *bytes, size_t n,
                            const char *what)
{
    int fd = wu_connect_endpoint (ep);
    wu_try_send_all (fd, bytes, n);
    if (!wu_wait_closed (fd, 3000))
        FAIL ("%s: connection not closed", what);
    close (fd);
}

int main (void)
{
    test_deadline (25);
    void *ctx = zmq_ctx_new ();
    void *rep = zmq_socket (ctx, ZMQ_REP);
    CHECK_OK (zmq_bind (rep, "ws://127.0.0.1:*/svc"));
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (rep, ZMQ_LAST_ENDPOINT, ep, &len));

    const char garbage[] = "\xff\x00\x00\x00\x00\x00\x00\x00\x01\x7f\x03\x01";
    expect_dropped (ep, garbage, sizeof garbage - 1, "ZMTP greeting");
    const char *post = "POST /svc HTTP/1.1\r\nHost: x\r\n\r\n";
    expect_dropped (ep, post, strlen (post), "POST");
    const char *plain_get = "GET /svc HTTP/1.1\r\nHost: x\r\n\r\n";
    expect_dropped (ep, plain_get, strlen (plain_get), "GET without upgrade");
    const char *wrong_proto =
      "GET /svc HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Version: 13\r\n\r\n";
    expect_dropped (ep, wrong_proto, strlen (wrong_proto), "unknown subprotocol");
    /* A header that never ends: the server gives up after a bound. */
    size_t big = 64 * 1024;
    char *endless = malloc (big);
    memcpy (endless, "GET /svc HTTP/1.1\r\nX-Long: ", 27);
    memset (endless + 27, 'a', big - 27);
    expect_dropped (ep, endless, big, "endless header");
    free (endless);

    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK_OK (zmq_connect (req, ep));
    send_str (req, "still", 0);
    recv_str_eq (rep, "still", 0);
    send_str (rep, "here", 0);
    recv_str_eq (req, "here", 0);
    zmq_close (req);
    zmq_close (rep);
    zmq_ctx_term (ctx);
    return 0;
}
