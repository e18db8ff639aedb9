/* behaviour: a CURVE client the ZAP handler denies (400) gets nothing through: the server reports HANDSHAKE_FAILED_AUTH 400, the client receives ERROR and reports HANDSHAKE_FAILED_AUTH 400 too, and then stops reconnecting (one ZAP request only). */
#include "zaputil.h"

static void *deny_thread (void *zap)
{
    for (;;) {
        char f[10][64];
        int len[10], n = 0, more = 1;
        while (more) {
            int r = zmq_recv (zap, f[n < 10 ? n : 9], 64, 0);
            if (r < 0) {
                zmq_close (zap);
                return NULL;
            }
            if (n < 10)
                len[n++] = r;
            more = get_int (zap, ZMQ_RCVMORE);
        }
        zap_requests++;
        send_str (zap, "1.0", ZMQ_SNDMORE);
        CHECK_EQ_INT (zmq_send (zap, f[1], (size_t) len[1], ZMQ_SNDMORE),
                      len[1]);
        send_str (zap, "400", ZMQ_SNDMORE);
        send_str (zap, "Denied", ZMQ_SNDMORE);
        send_str (zap, "", ZMQ_SNDMORE);
        send_str (zap, "", 0);
    }
}

int main (void)
{
    test_deadline (20);
    if (!zmq_has ("curve"))
        return SKIP_EXIT;
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *zap = zmq_socket (ctx, ZMQ_REP);
    CHECK (zap);
    set_int (zap, ZMQ_LINGER, 0);
    CHECK_OK (zmq_bind (zap, "inproc://zeromq.zap.01"));
    pthread_t t = thread_start (deny_thread, zap);

    char ep[256];
    void *server = zap_server (ctx, MECH_CURVE, ep, sizeof ep);
    void *smon = zap_monitor (ctx, server, "server");
    void *client = zap_client (ctx, MECH_CURVE, ep);
    void *cmon = zap_monitor (ctx, client, "client");
    send_str (client, "hello", 0);

    uint32_t value = 0;
    CHECK_EQ_INT (recv_monitor_event (smon, 3000, &value, NULL, 0),
                  ZMQ_EVENT_HANDSHAKE_FAILED_AUTH);
    CHECK_EQ_INT (value, 400);
    CHECK_EQ_INT (recv_monitor_event (cmon, 3000, &value, NULL, 0),
                  ZMQ_EVENT_HANDSHAKE_FAILED_AUTH);
    CHECK_EQ_INT (value, 400);
    set_int (server, ZMQ_RCVTIMEO, 500);
    char buf[16];
    CHECK_ERR (zmq_recv (server, buf, sizeof buf, 0), EAGAIN);
    /* No second attempt: the client does not reconnect after ERROR. */
    CHECK_EQ_INT (zap_requests, 1);
    CHECK_EQ_INT (recv_monitor_event (smon, 100, NULL, NULL, 0), -1);

    zmq_close (client);
    zmq_close (cmon);
    zmq_close (smon);
    zmq_close (server);
    zmq_ctx_term (ctx);
    pthread_join (t, NULL);
    return 0;
}
