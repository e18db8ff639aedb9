/* behaviour: CHANNEL is a thread-safe single-frame PAIR (tcp round trip, SNDMORE is EINVAL); PEER: zmq_connect_peer returns the new peer's routing id at once (messages queue before the connection is up), both sides route by routing id, and zmq_connect_peer is EFAULT under ZMQ_IMMEDIATE and ENOTSUP on other types */
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
    uint32_t rid = zmq_msg_routing_id (&m);
    zmq_msg_close (&m);
    return rid;
}

static void send_to (void *s, uint32_t rid, const char *body)
{
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init_size (&m, strlen (body)));
    memcpy (zmq_msg_data (&m), body, strlen (body));
    CHECK_OK (zmq_msg_set_routing_id (&m, rid));
    CHECK_EQ_INT (zmq_msg_send (&m, s, 0), (int) strlen (body));
}

int main (void)
{
    test_deadline (20);
    require_draft ();
    void *ctx = zmq_ctx_new ();

    void *ca = zmq_socket (ctx, ZMQ_CHANNEL);
    void *cb = zmq_socket (ctx, ZMQ_CHANNEL);
    CHECK_EQ_INT (get_int (ca, ZMQ_TYPE), ZMQ_CHANNEL);
    CHECK_EQ_INT (get_int (ca, ZMQ_THREAD_SAFE), 1);
    set_int (ca, ZMQ_RCVTIMEO, 5000);
    set_int (cb, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    bind_tcp_ephemeral (ca, ep, sizeof ep);
    CHECK_OK (zmq_connect (cb, ep));
    send_str (cb, "hello", 0);
    recv_str_eq (ca, "hello", 0);
    send_str (ca, "world", 0);
    recv_str_eq (cb, "world", 0);
    CHECK_ERR (zmq_send (ca, "X", 1, ZMQ_SNDMORE), EINVAL);
    CHECK_ERR (zmq_send (cb, "X", 1, ZMQ_SNDMORE), EINVAL);

    void *p1 = zmq_socket (ctx, ZMQ_PEER);
    void *p2 = zmq_socket (ctx, ZMQ_PEER);
    void *p3 = zmq_socket (ctx, ZMQ_PEER);
    CHECK_EQ_INT (get_int (p1, ZMQ_TYPE), ZMQ_PEER);
    CHECK_EQ_INT (get_int (p1, ZMQ_THREAD_SAFE), 1);
    set_int (p1, ZMQ_RCVTIMEO, 5000);
    set_int (p2, ZMQ_RCVTIMEO, 5000);
    set_int (p3, ZMQ_RCVTIMEO, 5000);
    char pep[256];
    bind_tcp_ephemeral (p1, pep, sizeof pep);
    uint32_t to_p1 = zmq_connect_peer (p2, pep);
    CHECK (to_p1 != 0);
    uint32_t p3_to_p1 = zmq_connect_peer (p3, pep);
    CHECK (p3_to_p1 != 0);
    send_to (p2, to_p1, "from-p2");
    uint32_t to_p2 = recv_with_rid (p1, "from-p2");
    CHECK (to_p2 != 0);
    send_to (p3, p3_to_p1, "from-p3");
    uint32_t to_p3 = recv_with_rid (p1, "from-p3");
    CHECK (to_p3 != 0 && to_p3 != to_p2);
    send_to (p1, to_p3, "to-p3");
    send_to (p1, to_p2, "to-p2");
    CHECK_EQ_INT (recv_with_rid (p2, "to-p2"), to_p1);
    CHECK_EQ_INT (recv_with_rid (p3, "to-p3"), p3_to_p1);
    CHECK_ERR (zmq_send (p1, "X", 1, ZMQ_SNDMORE), EINVAL);

    /* ZMQ_IMMEDIATE: no pipe before the connection, so no id. */
    void *p4 = zmq_socket (ctx, ZMQ_PEER);
    set_int (p4, ZMQ_IMMEDIATE, 1);
    errno = 0;
    CHECK_EQ_INT (zmq_connect_peer (p4, pep), 0);
    CHECK_EQ_INT (zmq_errno (), EFAULT);
    void *srv = zmq_socket (ctx, ZMQ_SERVER);
    CHECK_EQ_INT (zmq_connect_peer (srv, pep), 0);
    CHECK_EQ_INT (zmq_errno (), ENOTSUP);

    zmq_close (srv);
    zmq_close (p4);
    zmq_close (p1);
    zmq_close (p2);
    zmq_close (p3);
    zmq_close (ca);
    zmq_close (cb);
    zmq_ctx_term (ctx);
    return 0;
}
