/* behaviour: closing a socket with a bound listener and a served connection reports CLOSED for the listener exactly once, then MONITOR_STOPPED (tcp and ipc, 30 rounds each) */
#include "testutil.h"

/* Events after zmq_close (server) until MONITOR_STOPPED: returns how many
   CLOSED came with the listener's descriptor, FAILs on anything else. */
static int closed_reports (void *mon, uint32_t listener_fd)
{
    int closed = 0;
    for (;;) {
        uint32_t value = 0;
        int ev = recv_monitor_event (mon, 5000, &value, NULL, 0);
        if (ev == ZMQ_EVENT_MONITOR_STOPPED)
            return closed;
        if (ev < 0)
            FAIL ("no MONITOR_STOPPED within 5 s of zmq_close");
        if (ev == ZMQ_EVENT_CLOSED && value == listener_fd)
            closed++;
        else if (ev != ZMQ_EVENT_DISCONNECTED && ev != ZMQ_EVENT_CLOSED)
            FAIL ("unexpected event 0x%x (value %u) after zmq_close", ev,
                  value);
    }
}

static void round_trip (void *ctx, const char *transport, int round)
{
    char mon_ep[64], ep[256], buf[8];
    void *server = zmq_socket (ctx, ZMQ_DEALER);
    void *client = zmq_socket (ctx, ZMQ_DEALER);
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (server && client && mon);
    set_int (server, ZMQ_LINGER, 0);
    set_int (client, ZMQ_LINGER, 0);
    set_int (mon, ZMQ_LINGER, 0);
    snprintf (mon_ep, sizeof mon_ep, "inproc://closed-once-%s-%d", transport,
              round);
    CHECK_OK (zmq_socket_monitor (server, mon_ep, ZMQ_EVENT_ALL));
    CHECK_OK (zmq_connect (mon, mon_ep));
    if (strcmp (transport, "tcp") == 0)
        bind_tcp_ephemeral (server, ep, sizeof ep);
    else {
        CHECK_OK (zmq_bind (server, "ipc://*"));
        size_t len = sizeof ep;
        CHECK_OK (zmq_getsockopt (server, ZMQ_LAST_ENDPOINT, ep, &len));
    }
    uint32_t listener_fd =
      expect_monitor_event (mon, ZMQ_EVENT_LISTENING, 5000, NULL, 0);
    CHECK_OK (zmq_connect (client, ep));
    CHECK_EQ_INT (zmq_send (client, "ping", 4, 0), 4);
    CHECK_EQ_INT (zmq_recv (server, buf, sizeof buf, 0), 4);
    expect_monitor_event (mon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 5000, NULL, 0);
    /* The client goes first (the server sees DISCONNECTED), then the
       server with its listener. */
    CHECK_OK (zmq_close (client));
    expect_monitor_event (mon, ZMQ_EVENT_DISCONNECTED, 5000, NULL, 0);
    CHECK_OK (zmq_close (server));
    int closed = closed_reports (mon, listener_fd);
    if (closed != 1)
        FAIL ("%s round %d: CLOSED for the listener reported %d times",
              transport, round, closed);
    CHECK_OK (zmq_close (mon));
}

int main (void)
{
    test_deadline (120);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    for (int i = 0; i < 30; i++) {
        round_trip (ctx, "tcp", i);
        round_trip (ctx, "ipc", i);
    }
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
