/* behaviour: draft version 2 monitor events of a tcp connection carry both addresses: CONNECTED/HANDSHAKE_SUCCEEDED on the connecter show (its own address, the endpoint it connected to), ACCEPTED/HANDSHAKE_SUCCEEDED and PIPES_STATS on the binder (the bound address, the peer's address), LISTENING (the bound address, "") */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass: zmq-compat-suite/run /tmp/lzd/build/lib 'draft_monitor_v2*') and
 * skipped on Debian's stable libzmq 4.3.4. */
#include "draftutil.h"

static char *frame_str (zmq_msg_t *m)
{
    size_t n = zmq_msg_size (m);
    char *s = malloc (n + 1);
    CHECK (s);
    memcpy (s, zmq_msg_data (m), n);
    s[n] = 0;
    return s;
}

/* Reads one version 2 event: returns its number, fills the addresses. */
static uint64_t read_v2 (void *mon, char **local, char **remote)
{
    zmq_msg_t m;
    uint64_t ev, count;
    CHECK_OK (zmq_msg_init (&m));
    if (zmq_msg_recv (&m, mon, 0) < 0)
        FAIL ("monitor recv: %s", zmq_strerror (zmq_errno ()));
    CHECK_EQ_INT ((int) zmq_msg_size (&m), 8);
    memcpy (&ev, zmq_msg_data (&m), 8);
    CHECK (zmq_msg_more (&m));
    CHECK_OK (zmq_msg_recv (&m, mon, 0) < 0 ? -1 : 0);
    memcpy (&count, zmq_msg_data (&m), 8);
    for (uint64_t i = 0; i < count; i++) {
        CHECK (zmq_msg_recv (&m, mon, 0) == 8);
        CHECK (zmq_msg_more (&m));
    }
    CHECK (zmq_msg_recv (&m, mon, 0) >= 0);
    CHECK (zmq_msg_more (&m));
    *local = frame_str (&m);
    CHECK (zmq_msg_recv (&m, mon, 0) >= 0);
    CHECK (!zmq_msg_more (&m));
    *remote = frame_str (&m);
    zmq_msg_close (&m);
    return ev;
}

static void expect (void *mon, uint64_t want, const char *local,
                    const char *remote)
{
    char *l, *r;
    uint64_t ev = read_v2 (mon, &l, &r);
    if (ev != want || strcmp (l, local) != 0 || strcmp (r, remote) != 0)
        FAIL ("event %llx (%s, %s), wanted %llx (%s, %s)",
              (unsigned long long) ev, l, r, (unsigned long long) want,
              local, remote);
    free (l);
    free (r);
}

int main (void)
{
    test_deadline (20);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    void *server = zmq_socket (ctx, ZMQ_DEALER);
    void *client = zmq_socket (ctx, ZMQ_DEALER);
    char smon_ep[64], cmon_ep[64];
    inproc_endpoint (smon_ep, sizeof smon_ep, "smon");
    inproc_endpoint (cmon_ep, sizeof cmon_ep, "cmon");
    CHECK_OK (zmq_socket_monitor_versioned (
      server, smon_ep,
      ZMQ_EVENT_LISTENING | ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_HANDSHAKE_SUCCEEDED
        | ZMQ_EVENT_PIPES_STATS,
      2, ZMQ_PAIR));
    CHECK_OK (zmq_socket_monitor_versioned (
      client, cmon_ep, ZMQ_EVENT_CONNECTED | ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 2,
      ZMQ_PAIR));
    void *smon = zmq_socket (ctx, ZMQ_PAIR);
    void *cmon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK_OK (zmq_connect (smon, smon_ep));
    CHECK_OK (zmq_connect (cmon, cmon_ep));
    set_int (smon, ZMQ_RCVTIMEO, 5000);
    set_int (cmon, ZMQ_RCVTIMEO, 5000);

    char ep[256];
    bind_tcp_ephemeral (server, ep, sizeof ep);
    CHECK_OK (zmq_connect (client, ep));
    send_str (client, "hi", 0);
    set_int (server, ZMQ_RCVTIMEO, 5000);
    recv_str_eq (server, "hi", 0);

    char *local, *remote;
    CHECK_EQ_INT ((int) read_v2 (cmon, &local, &remote), ZMQ_EVENT_CONNECTED);
    CHECK (strncmp (local, "tcp://127.0.0.1:", 16) == 0);
    CHECK (strcmp (local, ep) != 0);
    CHECK (strcmp (remote, ep) == 0);
    expect (cmon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, local, ep);

    expect (smon, ZMQ_EVENT_LISTENING, ep, "");
    expect (smon, ZMQ_EVENT_ACCEPTED, ep, local);
    expect (smon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, ep, local);
    /* libzmq asks the pipe's I/O side and reports when the socket next
     * processes its commands (here: ZMQ_EVENTS). */
    CHECK_OK (zmq_socket_monitor_pipes_stats (server));
    long long deadline = now_ms () + 5000;
    while (!poll_in_ms (smon, 10)) {
        CHECK (now_ms () < deadline);
        get_int (server, ZMQ_EVENTS);
    }
    expect (smon, ZMQ_EVENT_PIPES_STATS, ep, local);
    free (local);
    free (remote);

    set_int (smon, ZMQ_LINGER, 0);
    set_int (cmon, ZMQ_LINGER, 0);
    zmq_close (client);
    zmq_close (server);
    zmq_close (smon);
    zmq_close (cmon);
    zmq_ctx_term (ctx);
    return 0;
}
