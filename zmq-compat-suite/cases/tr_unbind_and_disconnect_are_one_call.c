/* behaviour: zmq_unbind and zmq_disconnect both end any endpoint of the address, bound or connected: zmq_disconnect of a bound endpoint frees its address, zmq_unbind ends a connect, and one call ends every connect to the same address */
#include "testutil.h"

/* Binds, retrying EADDRINUSE for up to ms. */
static void bind_within (void *s, const char *ep, int ms)
{
    long long deadline = now_ms () + ms;
    while (zmq_bind (s, ep) != 0) {
        if (zmq_errno () != EADDRINUSE || now_ms () > deadline)
            FAIL ("bind %s: errno %d (%s)", ep, zmq_errno (),
                  zmq_strerror (zmq_errno ()));
        msleep (10);
    }
}

int main (void)
{
    test_deadline (30);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[256];

    /* A bound tcp endpoint, ended by zmq_disconnect: the port is free. */
    void *a = zmq_socket (ctx, ZMQ_PULL);
    CHECK (a);
    bind_tcp_ephemeral (a, ep, sizeof ep);
    CHECK_OK (zmq_disconnect (a, ep));
    CHECK_ERR (zmq_unbind (a, ep), ENOENT);
    void *b = zmq_socket (ctx, ZMQ_PULL);
    CHECK (b);
    /* The listener closes in the background (libzmq too): a moment. */
    bind_within (b, ep, 2000);
    CHECK_OK (zmq_close (b));

    /* A bound inproc name, ended by zmq_disconnect: it can be bound again. */
    CHECK_OK (zmq_bind (a, "inproc://one-call"));
    CHECK_OK (zmq_disconnect (a, "inproc://one-call"));
    b = zmq_socket (ctx, ZMQ_PULL);
    CHECK (b);
    bind_within (b, "inproc://one-call", 2000);

    /* A connect ended by zmq_unbind: nothing more goes out through it. */
    void *c = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (c);
    set_int (c, ZMQ_LINGER, 0);
    CHECK_OK (zmq_connect (c, "inproc://one-call"));
    send_str (c, "first", 0);
    recv_str_eq (b, "first", 0);
    CHECK_OK (zmq_unbind (c, "inproc://one-call"));
    CHECK_ERR (zmq_send (c, "late", 4, ZMQ_DONTWAIT), EAGAIN);

    /* Two connects to one tcp address end with one zmq_disconnect. */
    void *d = zmq_socket (ctx, ZMQ_PULL);
    CHECK (d);
    bind_tcp_ephemeral (d, ep, sizeof ep);
    CHECK_OK (zmq_connect (c, ep));
    CHECK_OK (zmq_connect (c, ep));
    CHECK_OK (zmq_disconnect (c, ep));
    CHECK_ERR (zmq_disconnect (c, ep), ENOENT);
    CHECK_ERR (zmq_send (c, "late", 4, ZMQ_DONTWAIT), EAGAIN);

    /* A socket bound to an inproc name and connected to it: the first call
       ends the bind, the next the connect. */
    void *e = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (e);
    CHECK_OK (zmq_bind (e, "inproc://one-call-self"));
    CHECK_OK (zmq_connect (e, "inproc://one-call-self"));
    CHECK_OK (zmq_disconnect (e, "inproc://one-call-self"));
    CHECK_OK (zmq_unbind (e, "inproc://one-call-self"));
    CHECK_ERR (zmq_unbind (e, "inproc://one-call-self"), ENOENT);
    CHECK_OK (zmq_close (e));

    set_int (a, ZMQ_LINGER, 0);
    set_int (b, ZMQ_LINGER, 0);
    set_int (d, ZMQ_LINGER, 0);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_close (c));
    CHECK_OK (zmq_close (d));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
