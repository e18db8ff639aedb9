/* behaviour: a PLAIN client meeting a NULL server makes both monitors report HANDSHAKE_FAILED_PROTOCOL with ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *srv = zmq_socket (ctx, ZMQ_DEALER);
    void *cli = zmq_socket (ctx, ZMQ_DEALER);
    void *msrv = zmq_socket (ctx, ZMQ_PAIR);
    void *mcli = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && srv && cli && msrv && mcli);
    set_int (msrv, ZMQ_LINGER, 0);
    set_int (mcli, ZMQ_LINGER, 0);
    set_int (cli, ZMQ_LINGER, 0);
    set_int (srv, ZMQ_LINGER, 0);
    CHECK_OK (zmq_setsockopt (cli, ZMQ_PLAIN_USERNAME, "u", 1));
    CHECK_OK (zmq_setsockopt (cli, ZMQ_PLAIN_PASSWORD, "p", 1));
    CHECK_OK (zmq_socket_monitor (srv, "inproc://monitor-hf-srv",
                                  ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
                                    | ZMQ_EVENT_HANDSHAKE_SUCCEEDED));
    CHECK_OK (zmq_socket_monitor (cli, "inproc://monitor-hf-cli",
                                  ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
                                    | ZMQ_EVENT_HANDSHAKE_SUCCEEDED));
    CHECK_OK (zmq_connect (msrv, "inproc://monitor-hf-srv"));
    CHECK_OK (zmq_connect (mcli, "inproc://monitor-hf-cli"));
    char ep[256];
    bind_tcp_ephemeral (srv, ep, sizeof ep);
    CHECK_OK (zmq_connect (cli, ep));
    uint32_t v;
    CHECK_EQ_INT (recv_monitor_event (msrv, 5000, &v, NULL, 0),
                  ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL);
    CHECK_EQ_INT (v, ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH);
    CHECK_EQ_INT (recv_monitor_event (mcli, 5000, &v, NULL, 0),
                  ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL);
    CHECK_EQ_INT (v, ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH);
    CHECK_OK (zmq_close (srv));
    CHECK_OK (zmq_close (cli));
    CHECK_OK (zmq_close (msrv));
    CHECK_OK (zmq_close (mcli));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
