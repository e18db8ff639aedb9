/* behaviour: zmq_msg_gets(msg, "Peer-Address") on a message received over tcp is the peer's IP address */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *r = zmq_socket (ctx, ZMQ_PULL);
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (ctx && r && s);
    char ep[256];
    bind_tcp_ephemeral (r, ep, sizeof ep);
    CHECK_OK (zmq_connect (s, ep));
    send_str (s, "hello", 0);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    CHECK_OK (zmq_msg_recv (&m, r, 0));
    const char *a = zmq_msg_gets (&m, "Peer-Address");
    if (!a || strcmp (a, "127.0.0.1") != 0)
        FAIL ("Peer-Address = '%s', expected '127.0.0.1'", a ? a : "(null)");
    CHECK_OK (zmq_msg_close (&m));
    CHECK_OK (zmq_close (r));
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
