/* behaviour: over ws the monitors report LISTENING, ACCEPTED and CONNECTED, HANDSHAKE_SUCCEEDED on both sides, then DISCONNECTED on the server when the client closes and CLOSED on unbind, all naming the endpoint. */
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

static void dump (const char *who, void *mon)
{
    if (!getenv ("WS_EVENTS_DUMP"))
        return;
    char got[256];
    uint32_t v;
    int ev;
    while ((ev = recv_monitor_event (mon, 200, &v, got, sizeof got)) >= 0)
        fprintf (stderr, "%s 0x%x %u %s\n", who, ev, v, got);
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *srv = zmq_socket (ctx, ZMQ_REP);
    void *cli = zmq_socket (ctx, ZMQ_REQ);
    CHECK (ctx && srv && cli);
    void *msrv = watch (ctx, srv, "inproc://monitor-ws-srv");
    void *mcli = watch (ctx, cli, "inproc://monitor-ws-cli");
    CHECK_OK (zmq_bind (srv, "ws://127.0.0.1:*/mon"));
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (srv, ZMQ_LAST_ENDPOINT, ep, &len));
    CHECK_OK (zmq_connect (cli, ep));
    send_str (cli, "q", 0);
    recv_str_eq (srv, "q", 0);
    send_str (srv, "a", 0);
    recv_str_eq (cli, "a", 0);
    if (getenv ("WS_EVENTS_DUMP")) {
        CHECK_OK (zmq_close (cli));
        msleep (200);
        CHECK_OK (zmq_unbind (srv, ep));
        dump ("srv", msrv);
        dump ("cli", mcli);
        return 0;
    }

    char got[256];
    uint32_t v;
    CHECK_EQ_INT (recv_monitor_event (msrv, 5000, &v, got, sizeof got),
                  ZMQ_EVENT_LISTENING);
    CHECK (strcmp (got, ep) == 0);
    expect_monitor_event (msrv, ZMQ_EVENT_ACCEPTED, 5000, got, sizeof got);
    CHECK (strcmp (got, ep) == 0);
    expect_monitor_event (msrv, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 5000, got,
                          sizeof got);
    CHECK (strcmp (got, ep) == 0);
    expect_monitor_event (mcli, ZMQ_EVENT_CONNECTED, 5000, got, sizeof got);
    CHECK (strcmp (got, ep) == 0);
    expect_monitor_event (mcli, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 5000, got,
                          sizeof got);
    CHECK (strcmp (got, ep) == 0);

    CHECK_OK (zmq_close (cli));
    expect_monitor_event (msrv, ZMQ_EVENT_DISCONNECTED, 5000, got, sizeof got);
    CHECK (strcmp (got, ep) == 0);
    CHECK_OK (zmq_unbind (srv, ep));
    expect_monitor_event (msrv, ZMQ_EVENT_CLOSED, 5000, got, sizeof got);
    CHECK (strcmp (got, ep) == 0);
    CHECK_OK (zmq_close (srv));
    CHECK_OK (zmq_close (msrv));
    CHECK_OK (zmq_close (mcli));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
