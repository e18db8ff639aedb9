/* behaviour: a ws server delivers nothing a client sends from an unmasked, text, fragmented or empty binary frame on (the connection is dropped, or stalls on 4.3.4), drops a client whose message exceeds ZMQ_MAXMSGSIZE, and keeps serving good clients. */
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
    int64_t max = 100;
    CHECK_OK (zmq_setsockopt (pull, ZMQ_MAXMSGSIZE, &max, sizeof max));
    set_int (pull, ZMQ_RCVTIMEO, 2000);
    CHECK_OK (zmq_bind (pull, "ws://127.0.0.1:*/"));
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, ep, &len));

    static const struct
    {
        const char *what;
        const char *raw;
        size_t n;
    } bad[] = {
      {"unmasked", "\x82\x04\x00" "bad", 6},
      {"text", "\x81\x83\0\0\0\0" "bad", 9},
      {"fragment", "\x02\x84\0\0\0\0\0" "bad", 10},
      {"empty binary", "\x82\x80\0\0\0\0", 6},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int fd = upgraded (ep);
        wu_try_send_all (fd, bad[i].raw, bad[i].n);
        wu_ws_try_send (fd, WU_WS_BINARY, 0, "after", 5);
        char buf[64];
        if (recv_str_within (pull, buf, sizeof buf, 300) >= 0)
            FAIL ("%s: '%s' was delivered", bad[i].what, buf);
        close (fd);
        good_client_works (pull, ep);
    }

    int fd = upgraded (ep);
    unsigned char big[200];
    memset (big, 'x', sizeof big);
    wu_ws_try_send (fd, WU_WS_BINARY, 0, big, sizeof big);
    if (!wu_wait_closed (fd, 3000))
        FAIL ("message above MAXMSGSIZE: connection not closed");
    close (fd);

    /* At the limit the message arrives. */
    fd = upgraded (ep);
    wu_ws_send (fd, WU_WS_BINARY, 0, big, 100);
    zmq_msg_t m;
    zmq_msg_init (&m);
    if (zmq_msg_recv (&m, pull, 0) != 100)
        FAIL ("message at MAXMSGSIZE not delivered");
    zmq_msg_close (&m);
    close (fd);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
