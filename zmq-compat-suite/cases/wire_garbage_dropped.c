/* behaviour: a connection that sends an invalid greeting (zero bytes, all-0xFF, unknown or mismatched mechanism) is dropped, and the socket keeps serving other peers. */
#include "wireutil.h"

static void expect_dropped (void *sock, const char *ep, const char *what,
                            const void *data, size_t len)
{
    int fd = wu_connect_endpoint (ep);
    wu_try_send_all (fd, data, len);
    long long deadline = now_ms () + 5000;
    for (;;) {
        if (now_ms () > deadline)
            FAIL ("%s: connection not dropped", what);
        get_int (sock, ZMQ_EVENTS);
        if (wu_wait_closed (fd, 20))
            break;
    }
    close (fd);
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);

    unsigned char buf[64];
    memset (buf, 0, sizeof buf);
    expect_dropped (pull, ep, "zero bytes", buf, sizeof buf);
    memset (buf, 0xFF, sizeof buf);
    expect_dropped (pull, ep, "0xFF bytes", buf, sizeof buf);
    wu_greeting (buf, 3, 1, "BOGUS", 0);
    expect_dropped (pull, ep, "unknown mechanism", buf, sizeof buf);
    wu_greeting (buf, 3, 1, "PLAIN", 0);
    expect_dropped (pull, ep, "mechanism mismatch", buf, sizeof buf);

    /* Other peers are served normally. */
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "good", 0);
    recv_str_eq (pull, "good", 0);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
