/* behaviour: a ROUTER with draft ZMQ_ROUTER_NOTIFY receives [routing id, empty frame] when a tcp peer completes its handshake (NOTIFY_CONNECT) and when it goes away (NOTIFY_DISCONNECT), never for a peer that fails its handshake, and an inproc peer brings no notification */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass) and skipped on Debian's stable libzmq 4.3.4. */
#include "draftutil.h"

static void recv_notification (void *router, const char *id)
{
    char buf[64];
    CHECK (recv_str_within (router, buf, sizeof buf, 5000) >= 0);
    if (strcmp (buf, id) != 0)
        FAIL ("expected routing id '%s', got '%s'", id, buf);
    CHECK_EQ_INT (get_int (router, ZMQ_RCVMORE), 1);
    CHECK_EQ_INT (zmq_recv (router, buf, sizeof buf, ZMQ_DONTWAIT), 0);
    CHECK_EQ_INT (get_int (router, ZMQ_RCVMORE), 0);
}

int main (void)
{
    test_deadline (20);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    set_int (router, ZMQ_ROUTER_NOTIFY,
             ZMQ_NOTIFY_CONNECT | ZMQ_NOTIFY_DISCONNECT);
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);

    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK_OK (zmq_setsockopt (dealer, ZMQ_ROUTING_ID, "X", 1));
    set_int (dealer, ZMQ_LINGER, 0);
    CHECK_OK (zmq_connect (dealer, ep));
    recv_notification (router, "X");

    send_str (dealer, "Hello", 0);
    recv_str_eq (router, "X", 0);
    recv_str_eq (router, "Hello", 0);

    zmq_close (dealer);
    recv_notification (router, "X");

    /* A peer that never completes the handshake brings nothing. */
    void *stream = zmq_socket (ctx, ZMQ_STREAM);
    set_int (stream, ZMQ_LINGER, 0);
    CHECK_OK (zmq_connect (stream, ep));
    char id[256];
    size_t idlen = sizeof id;
    msleep (100);
    CHECK_OK (zmq_getsockopt (stream, ZMQ_ROUTING_ID, id, &idlen));
    CHECK_OK (zmq_send (stream, id, idlen, ZMQ_SNDMORE));
    send_str (stream, "not-a-handshake", 0);
    msleep (100);
    zmq_close (stream);
    expect_silence (router, 300);

    /* inproc has no engine: no notification. */
    char name[128];
    inproc_endpoint (name, sizeof name, "notify");
    CHECK_OK (zmq_bind (router, name));
    void *peer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK_OK (zmq_setsockopt (peer, ZMQ_ROUTING_ID, "I", 1));
    CHECK_OK (zmq_connect (peer, name));
    send_str (peer, "via-inproc", 0);
    recv_str_eq (router, "I", 0);
    recv_str_eq (router, "via-inproc", 0);
    zmq_close (peer);
    expect_silence (router, 200);

    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
