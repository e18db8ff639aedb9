/* behaviour: a ZAP handler that reads the request and never answers stalls the server's handshake (no message gets through, no protocol event) until the client closes; the server then reports HANDSHAKE_FAILED_NO_DETAIL with EPIPE, and keeps accepting clients. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *zap = zmq_socket (ctx, ZMQ_REP);
    CHECK (zap);
    CHECK_OK (zmq_bind (zap, "inproc://zeromq.zap.01"));

    void *server = zmq_socket (ctx, ZMQ_PULL);
    CHECK (server);
    CHECK_OK (zmq_setsockopt (server, ZMQ_ZAP_DOMAIN, "test", 4));
    set_int (server, ZMQ_LINGER, 0);
    char mon_ep[64];
    inproc_endpoint (mon_ep, sizeof mon_ep, "mon");
    CHECK_OK (zmq_socket_monitor (server, mon_ep,
                                  ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
                                    | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
                                    | ZMQ_EVENT_HANDSHAKE_SUCCEEDED));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (mon);
    CHECK_OK (zmq_connect (mon, mon_ep));
    char ep[256];
    bind_tcp_ephemeral (server, ep, sizeof ep);

    void *client = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (client);
    CHECK_OK (zmq_connect (client, ep));
    zmq_send (client, "x", 1, ZMQ_DONTWAIT);

    /* The request arrives; the handler keeps it unanswered. */
    char buf[256];
    int more = 1, frames = 0;
    while (more) {
        CHECK (zmq_recv (zap, buf, sizeof buf, 0) >= 0);
        more = get_int (zap, ZMQ_RCVMORE);
        frames++;
    }
    CHECK_EQ_INT (frames, 6);
    set_int (server, ZMQ_RCVTIMEO, 300);
    CHECK_ERR (zmq_recv (server, buf, sizeof buf, 0), EAGAIN);
    CHECK_EQ_INT (recv_monitor_event (mon, 200, NULL, NULL, 0), -1);

    set_int (client, ZMQ_LINGER, 0);
    CHECK_OK (zmq_close (client));
    CHECK_EQ_INT (expect_monitor_event (mon, ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL,
                                        3000, NULL, 0),
                  EPIPE);

    /* A late answer to the dead connection's request goes nowhere. */
    send_str (zap, "1.0", ZMQ_SNDMORE);
    send_str (zap, "1", ZMQ_SNDMORE);
    send_str (zap, "200", ZMQ_SNDMORE);
    send_str (zap, "OK", ZMQ_SNDMORE);
    send_str (zap, "", ZMQ_SNDMORE);
    send_str (zap, "", 0);

    /* The handler answers again: a new client gets through. */
    void *client2 = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (client2);
    set_int (client2, ZMQ_LINGER, 0);
    CHECK_OK (zmq_connect (client2, ep));
    CHECK_OK (zmq_send (client2, "y", 1, 0) == 1 ? 0 : -1);
    char id[256];
    more = 1;
    frames = 0;
    while (more) {
        int n = zmq_recv (zap, buf, sizeof buf, 0);
        CHECK (n >= 0);
        if (frames == 1) {
            memcpy (id, buf, (size_t) n);
            id[n] = 0;
        }
        more = get_int (zap, ZMQ_RCVMORE);
        frames++;
    }
    send_str (zap, "1.0", ZMQ_SNDMORE);
    send_str (zap, id, ZMQ_SNDMORE);
    send_str (zap, "200", ZMQ_SNDMORE);
    send_str (zap, "OK", ZMQ_SNDMORE);
    send_str (zap, "", ZMQ_SNDMORE);
    send_str (zap, "", 0);
    set_int (server, ZMQ_RCVTIMEO, 3000);
    recv_str_eq (server, "y", 0);

    zmq_close (client2);
    zmq_close (server);
    zmq_close (mon);
    zmq_close (zap);
    zmq_ctx_term (ctx);
    return 0;
}
