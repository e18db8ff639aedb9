/* behaviour: a NULL peer whose READY property list is malformed (a value or name running past the end, a stray octet, a cut value size) or names an incompatible Socket-Type is disconnected with DISCONNECTED and no handshake event, and the socket keeps serving other peers. */
#include "wireutil.h"

int main (void)
{
    test_deadline (25);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (router);
    void *mon = wu_monitor (ctx, router, "mon", ZMQ_EVENT_ALL);
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);

    /* Each list starts with a valid Socket-Type DEALER. */
    static const unsigned char dealer[] = "\x0bSocket-Type\x00\x00\x00\x06"
                                          "DEALER";
    static const struct
    {
        const char *what;
        const char *tail;
        size_t n;
    } bad[] = {
      {"value past the end", "\x08Identity\x00\x00\x00\xc8" "abcd", 17},
      {"name past the end", "\x20Identity", 9},
      {"stray octet", "\x05", 1},
      {"value size cut short", "\x05Hello\x00\x00", 8},
      {"incompatible Socket-Type", "\x0bSocket-Type\x00\x00\x00\x03PUB", 19},
      {"huge value size", "\x01X\xff\xff\xff\xff" "abc", 9},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int fd = wu_connect_endpoint (ep);
        unsigned char g[64];
        wu_send_greeting (fd, 1, "NULL");
        wu_recv_greeting_null (fd, g);
        unsigned char props[64];
        size_t n = sizeof dealer - 1;
        memcpy (props, dealer, n);
        memcpy (props + n, bad[i].tail, bad[i].n);
        wu_send_command (fd, "READY", props, n + bad[i].n);
        wu_try_send_all (fd, "\x00\x03" "bad", 5);
        if (!wu_wait_closed (fd, 5000))
            FAIL ("%s: not disconnected", bad[i].what);
        wu_expect_silent_disconnect (mon, bad[i].what);
        close (fd);
        char buf[16];
        if (recv_str_within (router, buf, sizeof buf, 100) >= 0)
            FAIL ("%s: a frame was delivered", bad[i].what);
    }

    wu_router_serves (ctx, router, ep);
    zmq_close (mon);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
