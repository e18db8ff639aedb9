/* behaviour: SERVER and CLIENT: thread-safe (ZMQ_THREAD_SAFE 1, no ZMQ_FD), single-frame (SNDMORE is EINVAL), the SERVER stamps a non-zero routing id per peer on what it receives and routes by zmq_msg_set_routing_id (none or unknown is EHOSTUNREACH, the id does not reach the client), the CLIENT round-robins over servers, and a peer's multipart message is dropped */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass: zmq-compat-suite/run /tmp/lzd/build/lib 'draft_sock_*') and skipped
 * on Debian's stable libzmq 4.3.4. */
#include "draftutil.h"

static uint32_t recv_with_rid (void *s, const char *expected)
{
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    int n = zmq_msg_recv (&m, s, 0);
    if (n < 0)
        FAIL ("recv: errno %d (%s)", zmq_errno (), zmq_strerror (zmq_errno ()));
    CHECK_EQ_INT (n, (int) strlen (expected));
    CHECK (memcmp (zmq_msg_data (&m), expected, n) == 0);
    CHECK_EQ_INT (zmq_msg_more (&m), 0);
    uint32_t rid = zmq_msg_routing_id (&m);
    zmq_msg_close (&m);
    return rid;
}

static int send_to (void *s, uint32_t rid, const char *body)
{
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init_size (&m, strlen (body)));
    memcpy (zmq_msg_data (&m), body, strlen (body));
    if (rid)
        CHECK_OK (zmq_msg_set_routing_id (&m, rid));
    int rc = zmq_msg_send (&m, s, 0);
    if (rc < 0)
        zmq_msg_close (&m);
    return rc;
}

int main (void)
{
    test_deadline (20);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    void *server = zmq_socket (ctx, ZMQ_SERVER);
    void *client = zmq_socket (ctx, ZMQ_CLIENT);
    void *client2 = zmq_socket (ctx, ZMQ_CLIENT);
    CHECK (server && client && client2);
    CHECK_EQ_INT (get_int (server, ZMQ_TYPE), ZMQ_SERVER);
    CHECK_EQ_INT (get_int (client, ZMQ_TYPE), ZMQ_CLIENT);
    CHECK_EQ_INT (get_int (server, ZMQ_THREAD_SAFE), 1);
    CHECK_EQ_INT (get_int (client, ZMQ_THREAD_SAFE), 1);
    int fd;
    size_t fdlen = sizeof fd;
    CHECK_ERR (zmq_getsockopt (server, ZMQ_FD, &fd, &fdlen), EINVAL);
    CHECK_ERR (zmq_getsockopt (client, ZMQ_FD, &fd, &fdlen), EINVAL);
    set_int (server, ZMQ_RCVTIMEO, 5000);
    set_int (client, ZMQ_RCVTIMEO, 5000);
    set_int (client2, ZMQ_RCVTIMEO, 5000);

    char ep[256];
    bind_tcp_ephemeral (server, ep, sizeof ep);
    CHECK_OK (zmq_connect (client, ep));
    CHECK_OK (zmq_connect (client2, ep));

    CHECK_ERR (zmq_send (client, "X", 1, ZMQ_SNDMORE), EINVAL);
    CHECK_ERR (zmq_send (server, "X", 1, ZMQ_SNDMORE), EINVAL);
    /* No routing id, or one no peer has. */
    CHECK_ERR (zmq_send (server, "X", 1, 0), EHOSTUNREACH);

    send_str (client, "one", 0);
    uint32_t rid1 = recv_with_rid (server, "one");
    CHECK (rid1 != 0);
    send_str (client2, "two", 0);
    uint32_t rid2 = recv_with_rid (server, "two");
    CHECK (rid2 != 0 && rid2 != rid1);
    uint32_t unknown = rid1 + 1 == rid2 ? rid2 + 1 : rid1 + 1;
    if (unknown == 0)
        unknown = 7;
    CHECK_EQ_INT (send_to (server, unknown, "?"), -1);
    CHECK_EQ_INT (zmq_errno (), EHOSTUNREACH);

    /* Replies reach the peer their id names; the id does not travel. */
    CHECK_EQ_INT (send_to (server, rid2, "to-two"), 6);
    CHECK_EQ_INT (send_to (server, rid1, "to-one"), 6);
    CHECK_EQ_INT (recv_with_rid (client, "to-one"), 0);
    CHECK_EQ_INT (recv_with_rid (client2, "to-two"), 0);
    /* A peer keeps its id. */
    send_str (client, "again", 0);
    CHECK_EQ_INT (recv_with_rid (server, "again"), rid1);

    /* CLIENT round-robins over its servers. */
    void *server2 = zmq_socket (ctx, ZMQ_SERVER);
    set_int (server2, ZMQ_RCVTIMEO, 5000);
    char ep2[256];
    bind_tcp_ephemeral (server2, ep2, sizeof ep2);
    void *rr = zmq_socket (ctx, ZMQ_CLIENT);
    CHECK_OK (zmq_connect (rr, ep));
    CHECK_OK (zmq_connect (rr, ep2));
    /* Both pipes exist from connect on: messages queue until each is up. */
    send_str (rr, "a", 0);
    send_str (rr, "b", 0);
    send_str (rr, "c", 0);
    send_str (rr, "d", 0);
    CHECK (recv_with_rid (server, "a") != 0);
    CHECK (recv_with_rid (server2, "b") != 0);
    CHECK (recv_with_rid (server, "c") != 0);
    CHECK (recv_with_rid (server2, "d") != 0);

    /* inproc checks no socket types: a DEALER's multipart message is
     * dropped by the SERVER, the next single frame arrives. */
    char ipe[64];
    inproc_endpoint (ipe, sizeof ipe, "cs");
    void *s3 = zmq_socket (ctx, ZMQ_SERVER);
    set_int (s3, ZMQ_RCVTIMEO, 5000);
    CHECK_OK (zmq_bind (s3, ipe));
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK_OK (zmq_connect (dealer, ipe));
    send_str (dealer, "part1", ZMQ_SNDMORE);
    send_str (dealer, "part2", 0);
    send_str (dealer, "single", 0);
    CHECK (recv_with_rid (s3, "single") != 0);

    set_int (server, ZMQ_LINGER, 0);
    zmq_close (s3);
    zmq_close (dealer);
    zmq_close (rr);
    zmq_close (server2);
    zmq_close (client);
    zmq_close (client2);
    zmq_close (server);
    zmq_ctx_term (ctx);
    return 0;
}
