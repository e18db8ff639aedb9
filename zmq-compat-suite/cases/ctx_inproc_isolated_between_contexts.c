/* behaviour: inproc endpoints are private to their context: the same name can be bound in two contexts and messages do not cross */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *c1 = zmq_ctx_new ();
    void *c2 = zmq_ctx_new ();
    CHECK (c1 && c2);
    void *a1 = zmq_socket (c1, ZMQ_PAIR);
    void *a2 = zmq_socket (c2, ZMQ_PAIR);
    void *b2 = zmq_socket (c2, ZMQ_PAIR);
    CHECK (a1 && a2 && b2);
    CHECK_OK (zmq_bind (a1, "inproc://ctx-shared-name"));
    CHECK_OK (zmq_bind (a2, "inproc://ctx-shared-name"));
    CHECK_OK (zmq_connect (b2, "inproc://ctx-shared-name"));
    send_str (b2, "for c2", 0);
    recv_str_eq (a2, "for c2", 0);
    char buf[16];
    CHECK_ERR (zmq_recv (a1, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
    /* The same name twice in one context is EADDRINUSE. */
    void *dup = zmq_socket (c1, ZMQ_PAIR);
    CHECK (dup);
    CHECK_ERR (zmq_bind (dup, "inproc://ctx-shared-name"), EADDRINUSE);
    CHECK_OK (zmq_close (dup));
    CHECK_OK (zmq_close (a1));
    CHECK_OK (zmq_close (a2));
    CHECK_OK (zmq_close (b2));
    CHECK_OK (zmq_ctx_term (c1));
    CHECK_OK (zmq_ctx_term (c2));
    return 0;
}
