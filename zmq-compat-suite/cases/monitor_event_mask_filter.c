/* behaviour: only events in the zmq_socket_monitor mask are delivered (here ACCEPTED and DISCONNECTED; no LISTENING, HANDSHAKE_SUCCEEDED or MONITOR_STOPPED) */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *srv = zmq_socket (ctx, ZMQ_PULL);
    void *cli = zmq_socket (ctx, ZMQ_PUSH);
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && srv && cli && mon);
    set_int (mon, ZMQ_LINGER, 0);
    CHECK_OK (zmq_socket_monitor (srv, "inproc://monitor-mask",
                                  ZMQ_EVENT_ACCEPTED
                                    | ZMQ_EVENT_DISCONNECTED));
    CHECK_OK (zmq_connect (mon, "inproc://monitor-mask"));
    char ep[256];
    bind_tcp_ephemeral (srv, ep, sizeof ep);
    CHECK_OK (zmq_connect (cli, ep));
    send_str (cli, "x", 0);
    recv_str_eq (srv, "x", 0);
    CHECK_EQ_INT (recv_monitor_event (mon, 5000, NULL, NULL, 0),
                  ZMQ_EVENT_ACCEPTED);
    CHECK_OK (zmq_close (cli));
    CHECK_EQ_INT (recv_monitor_event (mon, 5000, NULL, NULL, 0),
                  ZMQ_EVENT_DISCONNECTED);
    CHECK_OK (zmq_close (srv));
    int ev = recv_monitor_event (mon, 300, NULL, NULL, 0);
    if (ev != -1)
        FAIL ("event 0x%x delivered although not in the mask", ev);
    CHECK_OK (zmq_close (mon));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
