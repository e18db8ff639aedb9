/* behaviour: when the tcp peer closes, the monitored socket reports DISCONNECTED with the endpoint */
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
    CHECK_OK (zmq_socket_monitor (srv, "inproc://monitor-disc",
                                  ZMQ_EVENT_ALL));
    CHECK_OK (zmq_connect (mon, "inproc://monitor-disc"));
    char ep[256], got[256];
    bind_tcp_ephemeral (srv, ep, sizeof ep);
    CHECK_OK (zmq_connect (cli, ep));
    send_str (cli, "x", 0);
    recv_str_eq (srv, "x", 0);
    expect_monitor_event (mon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 5000, NULL, 0);
    CHECK_OK (zmq_close (cli));
    expect_monitor_event (mon, ZMQ_EVENT_DISCONNECTED, 5000, got, sizeof got);
    CHECK (strcmp (got, ep) == 0);
    CHECK_OK (zmq_close (srv));
    CHECK_OK (zmq_close (mon));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
