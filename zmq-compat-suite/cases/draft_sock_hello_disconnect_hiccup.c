/* behaviour: draft ZMQ_HELLO_MSG is the first message a peer gets on every new tcp or inproc connection (both ways over inproc, bind after connect too), ZMQ_DISCONNECT_MSG reaches a SERVER/ROUTER when a peer it accepted goes (tcp close, inproc disconnect, bind before or after the connect), and ZMQ_HICCUP_MSG reaches a DEALER/CLIENT when a tcp connection it made breaks; types that cannot send or take them ignore them */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass) and skipped on Debian's stable libzmq 4.3.4. */
#include "draftutil.h"

int main (void)
{
    test_deadline (20);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    char ep[256], buf[64];

    /* tcp: hello from the router, then the dealer's queued message. */
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK_OK (zmq_setsockopt (router, ZMQ_HELLO_MSG, "H", 1));
    CHECK_OK (zmq_setsockopt (router, ZMQ_DISCONNECT_MSG, "D", 1));
    CHECK_OK (zmq_setsockopt (router, ZMQ_HICCUP_MSG, "no", 2));
    bind_tcp_ephemeral (router, ep, sizeof ep);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    set_int (dealer, ZMQ_LINGER, 0);
    CHECK_OK (zmq_setsockopt (dealer, ZMQ_ROUTING_ID, "d", 1));
    CHECK_OK (zmq_setsockopt (dealer, ZMQ_HELLO_MSG, "hi", 2));
    CHECK_OK (zmq_setsockopt (dealer, ZMQ_DISCONNECT_MSG, "no", 2));
    CHECK_OK (zmq_setsockopt (dealer, ZMQ_HICCUP_MSG, "HICCUP", 6));
    CHECK_OK (zmq_connect (dealer, ep));
    send_str (dealer, "first", 0);
    recv_str_eq (dealer, "H", 0);
    recv_str_eq (router, "d", 0);
    recv_str_eq (router, "hi", 0);
    recv_str_eq (router, "d", 0);
    recv_str_eq (router, "first", 0);

    /* The router goes: the dealer (a connecter) gets its hiccup. */
    zmq_close (router);
    CHECK (recv_str_within (dealer, buf, sizeof buf, 5000) >= 0);
    if (strcmp (buf, "HICCUP") != 0)
        FAIL ("expected HICCUP, got '%s'", buf);
    expect_silence (dealer, 200);
    zmq_close (dealer);

    /* tcp: a SERVER gets its disconnect message when a client goes. */
    void *server = zmq_socket (ctx, ZMQ_SERVER);
    CHECK_OK (zmq_setsockopt (server, ZMQ_DISCONNECT_MSG, "D", 1));
    bind_tcp_ephemeral (server, ep, sizeof ep);
    void *client = zmq_socket (ctx, ZMQ_CLIENT);
    set_int (client, ZMQ_LINGER, 0);
    CHECK_OK (zmq_setsockopt (client, ZMQ_HELLO_MSG, "H", 1));
    CHECK_OK (zmq_connect (client, ep));
    recv_str_eq (server, "H", 0);
    zmq_close (client);
    CHECK (recv_str_within (server, buf, sizeof buf, 5000) >= 0);
    if (strcmp (buf, "D") != 0)
        FAIL ("expected D, got '%s'", buf);
    zmq_close (server);

    /* inproc, connect before bind: both hellos arrive. */
    char name[128];
    inproc_endpoint (name, sizeof name, "hello");
    server = zmq_socket (ctx, ZMQ_SERVER);
    CHECK_OK (zmq_setsockopt (server, ZMQ_HELLO_MSG, "W", 1));
    CHECK_OK (zmq_setsockopt (server, ZMQ_DISCONNECT_MSG, "D", 1));
    client = zmq_socket (ctx, ZMQ_CLIENT);
    CHECK_OK (zmq_setsockopt (client, ZMQ_HELLO_MSG, "H", 1));
    CHECK_OK (zmq_connect (client, name));
    CHECK_OK (zmq_bind (server, name));
    recv_str_eq (client, "W", 0);
    recv_str_eq (server, "H", 0);
    /* The bind armed the server's disconnect message on that pipe too. */
    CHECK_OK (zmq_disconnect (client, name));
    recv_str_eq (server, "D", 0);
    zmq_close (client);
    zmq_close (server);

    /* inproc, bind first: zmq_disconnect brings the disconnect message. */
    inproc_endpoint (name, sizeof name, "disc");
    server = zmq_socket (ctx, ZMQ_SERVER);
    CHECK_OK (zmq_setsockopt (server, ZMQ_DISCONNECT_MSG, "D", 1));
    CHECK_OK (zmq_bind (server, name));
    client = zmq_socket (ctx, ZMQ_CLIENT);
    CHECK_OK (zmq_setsockopt (client, ZMQ_HELLO_MSG, "H", 1));
    CHECK_OK (zmq_connect (client, name));
    recv_str_eq (server, "H", 0);
    CHECK_OK (zmq_disconnect (client, name));
    recv_str_eq (server, "D", 0);
    zmq_close (client);
    zmq_close (server);

    /* A PUSH sends no hello, a PULL takes no disconnect message. */
    inproc_endpoint (name, sizeof name, "none");
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK_OK (zmq_setsockopt (pull, ZMQ_DISCONNECT_MSG, "D", 1));
    CHECK_OK (zmq_bind (pull, name));
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK_OK (zmq_setsockopt (push, ZMQ_HELLO_MSG, "H", 1));
    CHECK_OK (zmq_connect (push, name));
    send_str (push, "data", 0);
    recv_str_eq (pull, "data", 0);
    CHECK_OK (zmq_disconnect (push, name));
    expect_silence (pull, 200);
    zmq_close (push);
    zmq_close (pull);

    zmq_ctx_term (ctx);
    return 0;
}
