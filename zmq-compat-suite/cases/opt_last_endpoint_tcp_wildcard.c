/* behaviour: ZMQ_LAST_ENDPOINT after binding tcp://127.0.0.1:* holds the resolved port, connectable as is; a connect updates it too */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    CHECK_OK (zmq_bind (a, "tcp://127.0.0.1:*"));
    char ep[256];
    size_t l = sizeof ep;
    CHECK_OK (zmq_getsockopt (a, ZMQ_LAST_ENDPOINT, ep, &l));
    CHECK_EQ_INT (l, strlen (ep) + 1);
    const char *prefix = "tcp://127.0.0.1:";
    if (strncmp (ep, prefix, strlen (prefix)) != 0)
        FAIL ("LAST_ENDPOINT '%s' does not start with %s", ep, prefix);
    int port = atoi (ep + strlen (prefix));
    CHECK (port > 0 && port < 65536);
    CHECK (strchr (ep, '*') == NULL);
    CHECK_OK (zmq_connect (b, ep));
    send_str (b, "via last endpoint", 0);
    recv_str_eq (a, "via last endpoint", 0);
    char ep2[256];
    l = sizeof ep2;
    CHECK_OK (zmq_getsockopt (b, ZMQ_LAST_ENDPOINT, ep2, &l));
    CHECK (strcmp (ep, ep2) == 0);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
