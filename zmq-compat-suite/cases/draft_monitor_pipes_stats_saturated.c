/* behaviour: draft ZMQ_EVENT_PIPES_STATS of a PUSH whose four tcp peers stopped reading: each saturated pipe reports exactly SNDHWM queued (the writer hears of reads every (hwm+1)/2 messages), a drained peer's pipe reports 0, and the inbound count is 0 */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass: zmq-compat-suite/run /tmp/lzd/build/lib 'draft_monitor_pipes*') and
 * skipped on Debian's stable libzmq 4.3.4. */
#include "draftutil.h"

#define PEERS 4
#define HWM 500
#define BUF 4096

/* Reads one version 2 event: its number and its first two values. */
static uint64_t read_event (void *mon, uint64_t *v0, uint64_t *v1)
{
    zmq_msg_t m;
    uint64_t ev, count, v[2] = {0, 0};
    CHECK_OK (zmq_msg_init (&m));
    if (zmq_msg_recv (&m, mon, 0) < 0)
        FAIL ("monitor recv: %s", zmq_strerror (zmq_errno ()));
    CHECK_EQ_INT ((int) zmq_msg_size (&m), 8);
    memcpy (&ev, zmq_msg_data (&m), 8);
    CHECK (zmq_msg_recv (&m, mon, 0) == 8);
    memcpy (&count, zmq_msg_data (&m), 8);
    for (uint64_t i = 0; i < count; i++) {
        CHECK (zmq_msg_recv (&m, mon, 0) == 8);
        if (i < 2)
            memcpy (&v[i], zmq_msg_data (&m), 8);
    }
    /* The two addresses. */
    CHECK (zmq_msg_recv (&m, mon, 0) >= 0 && zmq_msg_more (&m));
    CHECK (zmq_msg_recv (&m, mon, 0) >= 0 && !zmq_msg_more (&m));
    zmq_msg_close (&m);
    *v0 = v[0];
    *v1 = v[1];
    return ev;
}

int main (void)
{
    test_deadline (30);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    char mon_ep[64];
    inproc_endpoint (mon_ep, sizeof mon_ep, "pushmon");
    CHECK_OK (zmq_socket_monitor_versioned (push, mon_ep,
                                            ZMQ_EVENT_HANDSHAKE_SUCCEEDED
                                              | ZMQ_EVENT_PIPES_STATS,
                                            2,
                                            ZMQ_PAIR));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK_OK (zmq_connect (mon, mon_ep));
    set_int (mon, ZMQ_RCVTIMEO, 5000);
    set_int (push, ZMQ_SNDHWM, HWM);
    set_int (push, ZMQ_SNDBUF, BUF);
    char ep[256];
    bind_tcp_ephemeral (push, ep, sizeof ep);
    void *pull[PEERS];
    for (int i = 0; i < PEERS; i++) {
        pull[i] = zmq_socket (ctx, ZMQ_PULL);
        set_int (pull[i], ZMQ_RCVHWM, HWM);
        set_int (pull[i], ZMQ_RCVBUF, BUF);
        set_int (pull[i], ZMQ_RCVTIMEO, 100);
        CHECK_OK (zmq_connect (pull[i], ep));
    }
    /* All four connected first, so that the round robin spreads the
     * messages over all of them. */
    for (int i = 0; i < PEERS; i++) {
        uint64_t a, b;
        CHECK (read_event (mon, &a, &b) == ZMQ_EVENT_HANDSHAKE_SUCCEEDED);
    }
    /* Twice SNDHWM per peer: the PUSH's pipe and the PULL's both fill. */
    static char data[BUF * 2];
    for (int i = 0; i < HWM * 2 * PEERS; i++)
        CHECK_EQ_INT (zmq_send (push, data, sizeof data, 0), (int) sizeof data);
    /* Drain the first peer of its quarter. */
    for (int i = 0; i < HWM * 2; i++)
        CHECK_EQ_INT (zmq_recv (pull[0], data, sizeof data, 0),
                      (int) sizeof data);
    msleep (300);
    int events;
    size_t len = sizeof events;
    CHECK_OK (zmq_getsockopt (push, ZMQ_EVENTS, &events, &len));
    CHECK_OK (zmq_socket_monitor_pipes_stats (push));
    /* libzmq publishes the answers when the socket next processes its
     * commands: give the I/O thread time, then call into the socket. */
    msleep (300);
    CHECK_OK (zmq_getsockopt (push, ZMQ_EVENTS, &events, &len));
    for (int i = 0; i < PEERS; i++) {
        uint64_t out, in;
        CHECK (read_event (mon, &out, &in) == ZMQ_EVENT_PIPES_STATS);
        if (out != (i == 0 ? 0 : HWM) || in != 0)
            FAIL ("pipe %d: %llu out, %llu in; wanted %d out, 0 in", i,
                  (unsigned long long) out, (unsigned long long) in,
                  i == 0 ? 0 : HWM);
    }
    zmq_close (mon);
    set_int (push, ZMQ_LINGER, 0);
    zmq_close (push);
    for (int i = 0; i < PEERS; i++) {
        set_int (pull[i], ZMQ_LINGER, 0);
        zmq_close (pull[i]);
    }
    zmq_ctx_term (ctx);
    return 0;
}
