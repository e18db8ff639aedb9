/* behaviour: over tcp the server's monitor reports ACCEPTED then HANDSHAKE_SUCCEEDED, the client's CONNECTED then HANDSHAKE_SUCCEEDED, all naming the endpoint */
#include "testutil.h"

static void *watch (void *ctx, void *s, const char *addr)
{
    CHECK_OK (zmq_socket_monitor (s, addr, ZMQ_EVENT_ALL));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (mon);
    set_int (mon, ZMQ_LINGER, 0);
    CHECK_OK (zmq_connect (mon, addr));
    return mon;
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *srv = zmq_socket (ctx, ZMQ_REP);
    void *cli = zmq_socket (ctx, ZMQ_REQ);
    CHECK (ctx && srv && cli);
    void *msrv = watch (ctx, srv, "inproc://monitor-cah-srv");
    void *mcli = watch (ctx, cli, "inproc://monitor-cah-cli");
    char ep[256];
    bind_tcp_ephemeral (srv, ep, sizeof ep);
    CHECK_OK (zmq_connect (cli, ep));

    char got[256];
    uint32_t v;
    CHECK_EQ_INT (recv_monitor_event (msrv, 5000, &v, got, sizeof got),
                  ZMQ_EVENT_LISTENING);
    expect_monitor_event (msrv, ZMQ_EVENT_ACCEPTED, 5000, got, sizeof got);
    CHECK (strcmp (got, ep) == 0);
    v = expect_monitor_event (msrv, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 5000, got,
                              sizeof got);
    CHECK_EQ_INT (v, 0);
    CHECK (strcmp (got, ep) == 0);

    expect_monitor_event (mcli, ZMQ_EVENT_CONNECTED, 5000, got, sizeof got);
    CHECK (strcmp (got, ep) == 0);
    v = expect_monitor_event (mcli, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 5000, got,
                              sizeof got);
    CHECK_EQ_INT (v, 0);
    CHECK (strcmp (got, ep) == 0);

    /* The connection works. */
    send_str (cli, "q", 0);
    recv_str_eq (srv, "q", 0);
    send_str (srv, "a", 0);
    recv_str_eq (cli, "a", 0);
    CHECK_OK (zmq_close (cli));
    CHECK_OK (zmq_close (srv));
    CHECK_OK (zmq_close (msrv));
    CHECK_OK (zmq_close (mcli));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
