/* behaviour: running out of descriptors is an error that clears: a listener that cannot accept reports ACCEPT_FAILED (EMFILE) and accepts the waiting peer once descriptors are freed, new binds and connects work again and zmq_ctx_term returns */
#include "testutil.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#define MAXS 256

int main (void)
{
    test_deadline (25);
    struct rlimit rl;
    CHECK_OK (getrlimit (RLIMIT_NOFILE, &rl));
    rl.rlim_cur = 64;
    if (rl.rlim_max < 64)
        rl.rlim_max = 64;
    CHECK_OK (setrlimit (RLIMIT_NOFILE, &rl));

    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *srv = zmq_socket (ctx, ZMQ_PULL);
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (srv && mon);
    set_int (srv, ZMQ_LINGER, 0);
    set_int (mon, ZMQ_LINGER, 0);
    CHECK_OK (zmq_socket_monitor (srv, "inproc://emfile-mon",
                                  ZMQ_EVENT_ACCEPT_FAILED));
    CHECK_OK (zmq_connect (mon, "inproc://emfile-mon"));
    char ep[256];
    bind_tcp_ephemeral (srv, ep, sizeof ep);
    int port = atoi (strrchr (ep, ':') + 1);

    /* A plain tcp client, made while descriptors remain. */
    int raw = socket (AF_INET, SOCK_STREAM, 0);
    CHECK (raw >= 0);

    /* Sockets until the process is out of descriptors. */
    void *extra[MAXS];
    int n = 0;
    while (n < MAXS) {
        void *s = zmq_socket (ctx, ZMQ_PAIR);
        if (!s) {
            CHECK_EQ_INT (zmq_errno (), EMFILE);
            break;
        }
        extra[n++] = s;
    }
    CHECK (n < MAXS);

    /* The kernel completes the connection; the listener cannot take it. */
    struct sockaddr_in sa;
    memset (&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons ((uint16_t) port);
    sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    CHECK_OK (connect (raw, (struct sockaddr *) &sa, sizeof sa));
    uint32_t err = expect_monitor_event (mon, ZMQ_EVENT_ACCEPT_FAILED, 5000,
                                         NULL, 0);
    CHECK_EQ_INT ((int) err, EMFILE);

    /* Descriptors come back: the waiting peer is accepted (it gets the
     * greeting). */
    for (int i = 0; i < n; i++)
        CHECK_OK (zmq_close (extra[i]));
    /* Meanwhile the monitor is drained: libzmq retries at once and reports
     * every failure, and its I/O thread blocks once the monitor's queue is
     * full. */
    struct pollfd p = {raw, POLLIN, 0};
    long long deadline = now_ms () + 5000;
    while (poll (&p, 1, 10) == 0) {
        if (now_ms () > deadline)
            FAIL ("the waiting peer was not accepted once descriptors were "
                  "free");
        while (recv_monitor_event (mon, 0, NULL, NULL, 0) >= 0)
            ;
    }
    unsigned char first = 0;
    CHECK (recv (raw, &first, 1, 0) == 1);
    CHECK_EQ_INT (first, 0xff);
    close (raw);

    /* New binds and connects work, and the old listener serves ZMTP. */
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (push && a && b);
    set_int (push, ZMQ_LINGER, 0);
    set_int (a, ZMQ_LINGER, 0);
    set_int (b, ZMQ_LINGER, 0);
    set_int (srv, ZMQ_RCVTIMEO, 5000);
    set_int (b, ZMQ_RCVTIMEO, 5000);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "after", 0);
    recv_str_eq (srv, "after", 0);
    char ep2[256];
    bind_tcp_ephemeral (a, ep2, sizeof ep2);
    CHECK_OK (zmq_connect (b, ep2));
    send_str (a, "fresh", 0);
    recv_str_eq (b, "fresh", 0);

    CHECK_OK (zmq_close (push));
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_close (srv));
    CHECK_OK (zmq_close (mon));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
