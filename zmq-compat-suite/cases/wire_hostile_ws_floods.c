/* behaviour: a ws server drops a client whose upgrade request has an endless header line, and one whose binary message announces 2^62 bytes after the handshake; the process lives on and keeps serving good clients. */
#include "wireutil.h"

static int upgraded (const char *ep)
{
    int fd = wu_connect_endpoint (ep);
    if (wu_ws_upgrade (fd, "/", "ZWS2.0/NULL", NULL, 0) != 101)
        FAIL ("upgrade refused");
    int op, flags;
    unsigned char buf[256];
    size_t n;
    if (wu_ws_recv (fd, &op, &flags, buf, sizeof buf, &n, 3000) != WU_OK)
        FAIL ("no READY");
    wu_ws_send_command (fd, "READY", "\x0bSocket-Type\x00\x00\x00\x04PUSH", 20);
    return fd;
}

static void good_client_works (void *pull, const char *ep)
{
    int fd = upgraded (ep);
    wu_ws_send (fd, WU_WS_BINARY, 0, "good", 4);
    recv_str_eq (pull, "good", 0);
    close (fd);
}

int main (void)
{
    test_deadline (25);
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    set_int (pull, ZMQ_RCVTIMEO, 3000);
    if (zmq_bind (pull, "ws://127.0.0.1:*/") != 0) {
        printf ("SKIP: no ws transport\n");
        return SKIP_EXIT;
    }
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, ep, &len));
    good_client_works (pull, ep);

    /* An upgrade request whose header line never ends (1 MiB of it). */
    int fd = wu_connect_endpoint (ep);
    const char *start = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Flood: ";
    wu_try_send_all (fd, start, strlen (start));
    static char junk[64 * 1024];
    memset (junk, 'a', sizeof junk);
    for (int i = 0; i < 16; i++)
        if (wu_try_send_all (fd, junk, sizeof junk) != 0)
            break;
    if (!wu_wait_closed (fd, 5000))
        FAIL ("endless header line: connection not closed");
    close (fd);
    good_client_works (pull, ep);

    /* A binary message announcing 2^62 payload bytes, then some. */
    fd = upgraded (ep);
    unsigned char h[2 + 8 + 4 + 16] = {0x80 | WU_WS_BINARY, 0x80 | 127};
    uint64_t plen = (uint64_t) 1 << 62;
    for (int i = 0; i < 8; i++)
        h[2 + i] = (unsigned char) (plen >> (56 - 8 * i));
    memset (h + 10, 0, 4 + 16); /* zero mask key: payload as is */
    wu_try_send_all (fd, h, sizeof h);
    if (!wu_wait_closed (fd, 5000))
        FAIL ("2^62-byte ws message: connection not closed");
    close (fd);
    good_client_works (pull, ep);

    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
