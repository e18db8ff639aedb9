/* behaviour: zmq_msg_gets(msg, "Socket-Type") on a message received over tcp names the peer's socket type */
#include "testutil.h"

static void check_pair (int recv_type, int send_type, const char *expected)
{
    void *ctx = zmq_ctx_new ();
    void *r = zmq_socket (ctx, recv_type);
    void *s = zmq_socket (ctx, send_type);
    CHECK (ctx && r && s);
    char ep[256];
    bind_tcp_ephemeral (r, ep, sizeof ep);
    CHECK_OK (zmq_connect (s, ep));
    send_str (s, "hello", 0);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    CHECK_OK (zmq_msg_recv (&m, r, 0));
    const char *t = zmq_msg_gets (&m, "Socket-Type");
    if (!t || strcmp (t, expected) != 0)
        FAIL ("Socket-Type = '%s', expected '%s'", t ? t : "(null)",
              expected);
    CHECK_OK (zmq_msg_close (&m));
    CHECK_OK (zmq_close (r));
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
}

int main (void)
{
    test_deadline (20);
    check_pair (ZMQ_PULL, ZMQ_PUSH, "PUSH");
    check_pair (ZMQ_PAIR, ZMQ_PAIR, "PAIR");
    check_pair (ZMQ_DEALER, ZMQ_DEALER, "DEALER");
    check_pair (ZMQ_REP, ZMQ_REQ, "REQ");
    return 0;
}
