/* behaviour: a zmq_msg_recv refused with EFSM (REP that owes a reply, PULL frame read into the same message before) and one that finds nothing (EAGAIN) leave the message as libzmq does: kept whole with its metadata after EFSM, empty after EAGAIN; the next receive into it gets the next frame's metadata */
#include "testutil.h"

static void expect_peer (zmq_msg_t *m, const char *what)
{
    const char *a = zmq_msg_gets (m, "Peer-Address");
    if (!a || strcmp (a, "127.0.0.1") != 0)
        FAIL ("%s: Peer-Address = '%s', expected '127.0.0.1'", what,
              a ? a : "(null)");
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK (ctx && rep && req);
    char ep[256];
    bind_tcp_ephemeral (rep, ep, sizeof ep);
    CHECK_OK (zmq_connect (req, ep));
    send_str (req, "question", 0);

    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    CHECK (zmq_msg_recv (&m, rep, 0) == 8);
    expect_peer (&m, "received");
    /* REP owes a reply: refused, the message untouched. */
    CHECK (zmq_msg_recv (&m, rep, 0) == -1 && zmq_errno () == EFSM);
    CHECK (zmq_msg_size (&m) == 8 && memcmp (zmq_msg_data (&m), "question", 8) == 0);
    expect_peer (&m, "after EFSM");
    CHECK (zmq_msg_send (&m, rep, 0) == 8);
    CHECK_OK (zmq_msg_close (&m));
    recv_str_eq (req, "question", 0);

    /* PULL: two frames into one message, then nothing (EAGAIN). */
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (pull && push);
    char ep2[256];
    bind_tcp_ephemeral (pull, ep2, sizeof ep2);
    CHECK_OK (zmq_connect (push, ep2));
    send_str (push, "one", 0);
    send_str (push, "two", 0);
    CHECK_OK (zmq_msg_init (&m));
    CHECK (zmq_msg_recv (&m, pull, 0) == 3);
    expect_peer (&m, "first");
    CHECK (zmq_msg_recv (&m, pull, 0) == 3);
    CHECK (memcmp (zmq_msg_data (&m), "two", 3) == 0);
    expect_peer (&m, "second, into the same message");
    CHECK (zmq_msg_recv (&m, pull, ZMQ_DONTWAIT) == -1 && zmq_errno () == EAGAIN);
    CHECK (zmq_msg_size (&m) == 0);
    CHECK (zmq_msg_gets (&m, "Peer-Address") == NULL);
    send_str (push, "three", 0);
    CHECK (zmq_msg_recv (&m, pull, 0) == 5);
    expect_peer (&m, "after EAGAIN");
    CHECK_OK (zmq_msg_close (&m));

    CHECK_OK (zmq_close (pull));
    CHECK_OK (zmq_close (push));
    CHECK_OK (zmq_close (rep));
    CHECK_OK (zmq_close (req));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
