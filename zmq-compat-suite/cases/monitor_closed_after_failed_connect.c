/* behaviour: each failed connect attempt (tcp refused, ipc path without a listener) reports CLOSED with the endpoint before CONNECT_RETRIED */
#include "testutil.h"

/* Events of one attempt, in order: (CONNECT_DELAYED,) CLOSED,
 * CONNECT_RETRIED; checked for two attempts. */
static void check_attempts (void *ctx, const char *ep, const char *tag)
{
    void *cli = zmq_socket (ctx, ZMQ_PUSH);
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (cli && mon);
    set_int (cli, ZMQ_LINGER, 0);
    set_int (mon, ZMQ_LINGER, 0);
    set_int (cli, ZMQ_RECONNECT_IVL, 100);
    char mep[64];
    snprintf (mep, sizeof mep, "inproc://monitor-closed-%s", tag);
    CHECK_OK (zmq_socket_monitor (
      cli, mep, ZMQ_EVENT_CLOSED | ZMQ_EVENT_CONNECT_RETRIED));
    CHECK_OK (zmq_connect (mon, mep));
    CHECK_OK (zmq_connect (cli, ep));
    for (int attempt = 0; attempt < 2; attempt++) {
        char got[256];
        uint32_t v = 0;
        int ev = recv_monitor_event (mon, 5000, &v, got, sizeof got);
        if (ev != ZMQ_EVENT_CLOSED)
            FAIL ("%s attempt %d: expected CLOSED, got event %d", tag,
                  attempt, ev);
        CHECK (strcmp (got, ep) == 0);
        ev = recv_monitor_event (mon, 5000, &v, got, sizeof got);
        if (ev != ZMQ_EVENT_CONNECT_RETRIED)
            FAIL ("%s attempt %d: expected CONNECT_RETRIED after CLOSED, got "
                  "event %d",
                  tag, attempt, ev);
    }
    CHECK_OK (zmq_close (cli));
    CHECK_OK (zmq_close (mon));
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    /* A tcp port nobody listens on: bind, read it, close. */
    void *probe = zmq_socket (ctx, ZMQ_PULL);
    CHECK (probe);
    char ep[256];
    bind_tcp_ephemeral (probe, ep, sizeof ep);
    CHECK_OK (zmq_close (probe));
    msleep (100);
    check_attempts (ctx, ep, "tcp");

    char ipc[256];
    ipc_endpoint (ipc, sizeof ipc, "closed-after-failed");
    unlink (ipc + strlen ("ipc://"));
    check_attempts (ctx, ipc, "ipc");
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
