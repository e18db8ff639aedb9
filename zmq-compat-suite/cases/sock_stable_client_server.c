/* behaviour: without the draft API a SERVER answers a CLIENT by sending back the very message it received (it keeps the routing id); a new message is EHOSTUNREACH; SNDMORE on CLIENT or SERVER is EINVAL */
/* The draft types' numbers are not in the stable header. Checked on
 * Debian's stable libzmq 4.3.4 (the reference, built without drafts) and on
 * libzmq 4.3.5 built with drafts (/tmp/lzd/build/lib): same answers.
 * inproc only: over tcp/ipc the stable reference aborts in its ZMTP
 * handshake (it has no Socket-Type name for types 12..20); Monocoque's
 * default build speaks ZMTP for them as its draft build does. */
#include "testutil.h"

#define T_SERVER 12
#define T_CLIENT 13

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *server = zmq_socket (ctx, T_SERVER);
    void *client = zmq_socket (ctx, T_CLIENT);
    CHECK (server && client);
    char ep[256];
    inproc_endpoint (ep, sizeof ep, "stable");
    CHECK_OK (zmq_bind (server, ep));
    CHECK_OK (zmq_connect (client, ep));
    set_int (server, ZMQ_RCVTIMEO, 5000);
    set_int (client, ZMQ_RCVTIMEO, 5000);

    CHECK_ERR (zmq_send (client, "a", 1, ZMQ_SNDMORE), EINVAL);
    CHECK_ERR (zmq_send (server, "a", 1, ZMQ_SNDMORE), EINVAL);
    /* Nothing names a peer: a fresh message has routing id 0. */
    CHECK_ERR (zmq_send (server, "x", 1, 0), EHOSTUNREACH);

    send_str (client, "hello", 0);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    CHECK_EQ_INT (zmq_msg_recv (&m, server, 0), 5);
    CHECK (memcmp (zmq_msg_data (&m), "hello", 5) == 0);
    CHECK (!zmq_msg_more (&m));
    /* The received message goes back to its sender. */
    CHECK_EQ_INT (zmq_msg_send (&m, server, 0), 5);
    recv_str_eq (client, "hello", 0);

    /* A copy keeps the routing id too. */
    send_str (client, "two", 0);
    zmq_msg_t r, c;
    CHECK_OK (zmq_msg_init (&r));
    CHECK_OK (zmq_msg_init (&c));
    CHECK_EQ_INT (zmq_msg_recv (&r, server, 0), 3);
    CHECK_OK (zmq_msg_copy (&c, &r));
    CHECK_EQ_INT (zmq_msg_send (&c, server, 0), 3);
    recv_str_eq (client, "two", 0);
    /* Once sent the message is empty again, and addresses nobody. */
    CHECK_OK (zmq_msg_init (&c));
    CHECK_ERR (zmq_msg_send (&c, server, 0), EHOSTUNREACH);
    zmq_msg_close (&c);
    zmq_msg_close (&r);
    zmq_msg_close (&m);

    zmq_close (client);
    zmq_close (server);
    zmq_ctx_term (ctx);
    return 0;
}
