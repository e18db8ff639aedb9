/* behaviour: under a wildcard tcp listener, LISTENING names the listener (tcp://0.0.0.0:P) while ACCEPTED and HANDSHAKE_SUCCEEDED name the accepted connection by its local address (tcp://127.0.0.1:P) */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *server = zmq_socket (ctx, ZMQ_DEALER);
    void *client = zmq_socket (ctx, ZMQ_DEALER);
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && server && client && mon);
    set_int (server, ZMQ_LINGER, 0);
    set_int (client, ZMQ_LINGER, 0);
    set_int (mon, ZMQ_LINGER, 0);
    CHECK_OK (zmq_socket_monitor (server, "inproc://accepted-local",
                                  ZMQ_EVENT_ALL));
    CHECK_OK (zmq_connect (mon, "inproc://accepted-local"));
    CHECK_OK (zmq_bind (server, "tcp://*:*"));
    char bound[256], want[256], got[256];
    size_t len = sizeof bound;
    CHECK_OK (zmq_getsockopt (server, ZMQ_LAST_ENDPOINT, bound, &len));
    const char *port = strrchr (bound, ':');
    CHECK (port);
    expect_monitor_event (mon, ZMQ_EVENT_LISTENING, 5000, got, sizeof got);
    if (strcmp (got, bound) != 0)
        FAIL ("LISTENING names %s, expected %s", got, bound);
    snprintf (want, sizeof want, "tcp://127.0.0.1%s", port);
    CHECK_OK (zmq_connect (client, want));
    expect_monitor_event (mon, ZMQ_EVENT_ACCEPTED, 5000, got, sizeof got);
    if (strcmp (got, want) != 0)
        FAIL ("ACCEPTED names %s, expected %s", got, want);
    expect_monitor_event (mon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 5000, got,
                          sizeof got);
    if (strcmp (got, want) != 0)
        FAIL ("HANDSHAKE_SUCCEEDED names %s, expected %s", got, want);
    CHECK_OK (zmq_close (client));
    CHECK_OK (zmq_close (server));
    CHECK_OK (zmq_close (mon));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
