/* behaviour: over ipc the monitors report LISTENING and ACCEPTED on the server and CONNECTED on the client, each naming the ipc endpoint */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *srv = zmq_socket (ctx, ZMQ_PULL);
    void *cli = zmq_socket (ctx, ZMQ_PUSH);
    void *msrv = zmq_socket (ctx, ZMQ_PAIR);
    void *mcli = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && srv && cli && msrv && mcli);
    set_int (msrv, ZMQ_LINGER, 0);
    set_int (mcli, ZMQ_LINGER, 0);
    CHECK_OK (zmq_socket_monitor (srv, "inproc://monitor-ipc-srv",
                                  ZMQ_EVENT_ALL));
    CHECK_OK (zmq_socket_monitor (cli, "inproc://monitor-ipc-cli",
                                  ZMQ_EVENT_ALL));
    CHECK_OK (zmq_connect (msrv, "inproc://monitor-ipc-srv"));
    CHECK_OK (zmq_connect (mcli, "inproc://monitor-ipc-cli"));
    char ep[128], got[256];
    ipc_endpoint (ep, sizeof ep, "monitor");
    CHECK_OK (zmq_bind (srv, ep));
    CHECK_OK (zmq_connect (cli, ep));
    CHECK_EQ_INT (recv_monitor_event (msrv, 5000, NULL, got, sizeof got),
                  ZMQ_EVENT_LISTENING);
    CHECK (strcmp (got, ep) == 0);
    expect_monitor_event (msrv, ZMQ_EVENT_ACCEPTED, 5000, got, sizeof got);
    CHECK (strcmp (got, ep) == 0);
    expect_monitor_event (mcli, ZMQ_EVENT_CONNECTED, 5000, got, sizeof got);
    CHECK (strcmp (got, ep) == 0);
    send_str (cli, "over ipc", 0);
    recv_str_eq (srv, "over ipc", 0);
    CHECK_OK (zmq_close (cli));
    CHECK_OK (zmq_close (srv));
    CHECK_OK (zmq_close (msrv));
    CHECK_OK (zmq_close (mcli));
    CHECK_OK (zmq_ctx_term (ctx));
    unlink (ep + strlen ("ipc://"));
    return 0;
}
