/* behaviour: a connecting socket whose peer sends a frame larger than its ZMQ_MAXMSGSIZE drops the connection as a protocol error and does not reconnect to that endpoint (libzmq's session ends on protocol errors; only connection errors are retried). */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *server = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (server);
    set_int (server, ZMQ_LINGER, 0);
    char mon_ep[64];
    inproc_endpoint (mon_ep, sizeof mon_ep, "mon");
    CHECK_OK (zmq_socket_monitor (server, mon_ep, ZMQ_EVENT_ACCEPTED));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (mon);
    CHECK_OK (zmq_connect (mon, mon_ep));
    char ep[256];
    bind_tcp_ephemeral (server, ep, sizeof ep);

    void *client = zmq_socket (ctx, ZMQ_PULL);
    CHECK (client);
    int64_t max = 100;
    CHECK_OK (zmq_setsockopt (client, ZMQ_MAXMSGSIZE, &max, sizeof max));
    set_int (client, ZMQ_RECONNECT_IVL, 50);
    set_int (client, ZMQ_LINGER, 0);
    CHECK_OK (zmq_connect (client, ep));
    CHECK_EQ_INT (expect_monitor_event (mon, ZMQ_EVENT_ACCEPTED, 3000, NULL, 0)
                    != 0,
                  1);
    char big[1000];
    memset (big, 'x', sizeof big);
    send_str (server, "small", 0);
    CHECK_EQ_INT (zmq_send (server, big, sizeof big, 0), (int) sizeof big);
    set_int (client, ZMQ_RCVTIMEO, 3000);
    recv_str_eq (client, "small", 0);
    set_int (client, ZMQ_RCVTIMEO, 300);
    char buf[16];
    CHECK_ERR (zmq_recv (client, buf, sizeof buf, 0), EAGAIN);
    /* With a 50 ms reconnect interval a retry would show within 1 s. */
    CHECK_EQ_INT (recv_monitor_event (mon, 1000, NULL, NULL, 0), -1);

    zmq_close (client);
    zmq_close (mon);
    zmq_close (server);
    zmq_ctx_term (ctx);
    return 0;
}
