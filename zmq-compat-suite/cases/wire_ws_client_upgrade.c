/* behaviour: a ws connecter sends GET <path> HTTP/1.1 with Host, Upgrade: websocket, Connection: Upgrade, a key, Sec-WebSocket-Version 13 and the ZWS2.0/NULL,ZWS2.0 offer, then after a 101 sends READY and messages as masked binary frames. */
#include "wireutil.h"

static const char *header (const char *head, const char *name)
{
    static char v[256];
    char pat[64];
    snprintf (pat, sizeof pat, "\r\n%s: ", name);
    const char *p = strcasestr (head, pat);
    if (!p)
        FAIL ("request has no %s header:\n%s", name, head);
    p += strlen (pat);
    size_t k = strcspn (p, "\r");
    if (k >= sizeof v)
        k = sizeof v - 1;
    memcpy (v, p, k);
    v[k] = 0;
    return v;
}

/* A masked client frame: opcode, flags byte, payload (unmasked). */
static void read_masked (int fd, int *op, int *flags, unsigned char *buf,
                         size_t cap, size_t *len)
{
    unsigned char h[8];
    wu_expect_bytes (fd, h, 2, 3000, "frame header");
    if (!(h[0] & 0x80) || !(h[1] & 0x80))
        FAIL ("client frame not final or not masked: %02x %02x", h[0], h[1]);
    *op = h[0] & 0x0F;
    size_t n = h[1] & 0x7F;
    if (n >= 126)
        FAIL ("unexpectedly long client frame");
    unsigned char key[4];
    wu_expect_bytes (fd, key, 4, 3000, "mask");
    if (n == 0 || n - 1 > cap)
        FAIL ("client frame of %zu bytes", n);
    unsigned char p[128];
    wu_expect_bytes (fd, p, n, 3000, "payload");
    for (size_t i = 0; i < n; i++)
        p[i] ^= key[i % 4];
    *flags = p[0];
    *len = n - 1;
    memcpy (buf, p + 1, n - 1);
}

int main (void)
{
    test_deadline (20);
    char want[29];
    wu_ws_accept ("dGhlIHNhbXBsZSBub25jZQ==", want);
    if (strcmp (want, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") != 0)
        FAIL ("SHA-1/base64 helper broken: %s", want);
    int port;
    int lfd = wu_listen (&port);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    set_int (s, ZMQ_LINGER, 0);
    char ep[128];
    snprintf (ep, sizeof ep, "ws://127.0.0.1:%d/client-path", port);
    CHECK_OK (zmq_connect (s, ep));
    int fd = wu_accept (lfd, 3000);
    char head[2048];
    size_t len = 0;
    while (len < sizeof head - 1) {
        wu_expect_bytes (fd, head + len, 1, 3000, "request head");
        len++;
        if (len >= 4 && memcmp (head + len - 4, "\r\n\r\n", 4) == 0)
            break;
    }
    head[len] = 0;
    if (strncmp (head, "GET /client-path HTTP/1.1\r\n", 27) != 0)
        FAIL ("request line: %s", head);
    if (strcmp (header (head, "Host"), "127.0.0.1") != 0)
        FAIL ("Host: %s", header (head, "Host"));
    if (strcasecmp (header (head, "Upgrade"), "websocket") != 0)
        FAIL ("Upgrade: %s", header (head, "Upgrade"));
    if (strcasecmp (header (head, "Connection"), "Upgrade") != 0)
        FAIL ("Connection: %s", header (head, "Connection"));
    if (strcmp (header (head, "Sec-WebSocket-Version"), "13") != 0)
        FAIL ("Sec-WebSocket-Version: %s", header (head, "Sec-WebSocket-Version"));
    if (strcmp (header (head, "Sec-WebSocket-Protocol"), "ZWS2.0/NULL,ZWS2.0")
        != 0)
        FAIL ("Sec-WebSocket-Protocol: %s",
              header (head, "Sec-WebSocket-Protocol"));
    char accept[29];
    wu_ws_accept (header (head, "Sec-WebSocket-Key"), accept);
    char resp[512];
    int n = snprintf (resp, sizeof resp,
                      "HTTP/1.1 101 Switching Protocols\r\n"
                      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Accept: %s\r\n"
                      "Sec-WebSocket-Protocol: ZWS2.0/NULL\r\n\r\n",
                      accept);
    wu_send_all (fd, resp, (size_t) n);
    /* Our READY, unmasked as a server's. */
    const char ready[] = "\x82\x1d\x02\x05READY\x0bSocket-Type\x00\x00\x00\x06"
                         "DEALER";
    wu_send_all (fd, ready, 2 + 29);
    int op, flags;
    unsigned char buf[128];
    size_t blen;
    read_masked (fd, &op, &flags, buf, sizeof buf, &blen);
    if (op != WU_WS_BINARY || flags != WU_WS_COMMAND || blen < 6
        || memcmp (buf, "\x05READY", 6) != 0)
        FAIL ("client READY: opcode %d flags %d", op, flags);
    send_str (s, "m1", ZMQ_SNDMORE);
    send_str (s, "m2", 0);
    read_masked (fd, &op, &flags, buf, sizeof buf, &blen);
    if (op != WU_WS_BINARY || flags != WU_WS_MORE || blen != 2
        || memcmp (buf, "m1", 2) != 0)
        FAIL ("m1: opcode %d flags %d len %zu", op, flags, blen);
    read_masked (fd, &op, &flags, buf, sizeof buf, &blen);
    if (op != WU_WS_BINARY || flags != 0 || blen != 2 || memcmp (buf, "m2", 2))
        FAIL ("m2: opcode %d flags %d len %zu", op, flags, blen);
    /* And an unmasked server message reaches the socket. */
    wu_send_all (fd, "\x82\x05\x00" "back", 7);
    recv_str_eq (s, "back", 0);
    close (fd);
    close (lfd);
    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
