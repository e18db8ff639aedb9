/* behaviour: zmq_msg_gets "Identity" gives the peer's routing id from its READY ("" when it set none); ZMQ_SRCFD is a descriptor for a tcp message and -1 with EINVAL for an inproc one; zmq_msg_set is EINVAL for any message */
#include "testutil.h"

static void expect_identity (void *server, const char *want)
{
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    CHECK_OK (zmq_msg_recv (&m, server, 0));
    const char *id = zmq_msg_gets (&m, "Identity");
    if (!id)
        FAIL ("zmq_msg_gets (Identity) is NULL (errno %d)", zmq_errno ());
    if (strcmp (id, want) != 0)
        FAIL ("Identity is \"%s\", expected \"%s\"", id, want);
    CHECK (zmq_msg_get (&m, ZMQ_SRCFD) >= 0);
    CHECK_ERR (zmq_msg_set (&m, ZMQ_MORE, 1), EINVAL);
    CHECK_OK (zmq_msg_close (&m));
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *server = zmq_socket (ctx, ZMQ_DEALER);
    void *named = zmq_socket (ctx, ZMQ_DEALER);
    void *anon = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && server && named && anon);
    char ep[256];
    bind_tcp_ephemeral (server, ep, sizeof ep);
    CHECK_OK (zmq_setsockopt (named, ZMQ_ROUTING_ID, "Cli", 3));
    CHECK_OK (zmq_connect (named, ep));
    send_str (named, "hello", 0);
    expect_identity (server, "Cli");
    CHECK_OK (zmq_connect (anon, ep));
    send_str (anon, "hello", 0);
    expect_identity (server, "");

    /* inproc: no descriptor */
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (a && b);
    CHECK_OK (zmq_bind (a, "inproc://gets-srcfd"));
    CHECK_OK (zmq_connect (b, "inproc://gets-srcfd"));
    send_str (b, "x", 0);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    CHECK_OK (zmq_msg_recv (&m, a, 0));
    CHECK_ERR (zmq_msg_get (&m, ZMQ_SRCFD), EINVAL);
    CHECK_OK (zmq_msg_close (&m));
    zmq_msg_t zeroed;
    memset (&zeroed, 0, sizeof zeroed);
    CHECK_ERR (zmq_msg_set (&zeroed, ZMQ_MORE, 1), EINVAL);

    set_int (server, ZMQ_LINGER, 0);
    set_int (named, ZMQ_LINGER, 0);
    set_int (anon, ZMQ_LINGER, 0);
    CHECK_OK (zmq_close (server));
    CHECK_OK (zmq_close (named));
    CHECK_OK (zmq_close (anon));
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
