/* behaviour: a connecting socket whose server announces a frame of 2^62 bytes (after a ZMTP 3.1 NULL handshake, or as a ZMTP 1.0 server) drops that connection as a protocol error without reconnecting; the process and its other connections live on. */
#include "wireutil.h"

/* A DEALER connected to a raw listener, monitored for DISCONNECTED and
 * CONNECTED; returns the accepted raw fd. */
static int connect_dealer (void *ctx, void **dealer, void **mon, int *lfd,
                           const char *tag)
{
    int port;
    *lfd = wu_listen (&port);
    *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (*dealer);
    set_int (*dealer, ZMQ_LINGER, 0);
    set_int (*dealer, ZMQ_RECONNECT_IVL, 50);
    *mon = wu_monitor (ctx, *dealer, tag,
                       ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_CONNECTED);
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", port);
    CHECK_OK (zmq_connect (*dealer, ep));
    int fd = wu_accept (*lfd, 5000);
    expect_monitor_event (*mon, ZMQ_EVENT_CONNECTED, 3000, NULL, 0);
    return fd;
}

/* The connection is dropped, DISCONNECTED is reported, and no reconnect
 * reaches the listener (a protocol error ends the session). */
static void expect_dropped_for_good (int fd, int lfd, void *mon,
                                     const char *what)
{
    if (!wu_wait_closed (fd, 5000))
        FAIL ("%s: connection not dropped", what);
    expect_monitor_event (mon, ZMQ_EVENT_DISCONNECTED, 3000, NULL, 0);
    close (fd);
    /* With a 50 ms reconnect interval a retry would show within 1 s. */
    if (wu_readable (lfd, 1000))
        FAIL ("%s: the socket reconnected after a protocol error", what);
}

int main (void)
{
    test_deadline (25);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);

    /* A good connection that must survive the hostile servers. */
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    char good_ep[256];
    bind_tcp_ephemeral (pull, good_ep, sizeof good_ep);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    CHECK_OK (zmq_connect (push, good_ep));
    send_str (push, "before", 0);
    set_int (pull, ZMQ_RCVTIMEO, 5000);
    recv_str_eq (pull, "before", 0);

    /* ZMTP 3.1 server: a normal NULL handshake, then a 2^62-byte frame. */
    void *d1, *m1;
    int l1;
    int fd = connect_dealer (ctx, &d1, &m1, &l1, "m1");
    unsigned char g[64];
    wu_send_greeting (fd, 1, "NULL");
    wu_recv_greeting_null (fd, g);
    wu_send_ready (fd, "ROUTER", NULL);
    wu_expect_ready (fd, "DEALER");
    unsigned char h[9 + 8] = {WU_LONG};
    wu_put_u64 (h + 1, (uint64_t) 1 << 62);
    memset (h + 9, 'x', 8);
    wu_try_send_all (fd, h, sizeof h);
    expect_dropped_for_good (fd, l1, m1, "ZMTP 3.1 server");

    /* ZMTP 1.0 server: an empty identity frame, then a frame of size 2^62. */
    void *d2, *m2;
    int l2;
    fd = connect_dealer (ctx, &d2, &m2, &l2, "m2");
    unsigned char v1[2 + 10 + 8] = {0x01, 0x00, 0xFF};
    wu_put_u64 (v1 + 3, (uint64_t) 1 << 62);
    v1[11] = 0;
    memset (v1 + 12, 'x', 8);
    wu_try_send_all (fd, v1, sizeof v1);
    expect_dropped_for_good (fd, l2, m2, "ZMTP 1.0 server");

    send_str (push, "after", 0);
    recv_str_eq (pull, "after", 0);

    close (l1);
    close (l2);
    zmq_close (d1);
    zmq_close (m1);
    zmq_close (d2);
    zmq_close (m2);
    set_int (push, ZMQ_LINGER, 0);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
