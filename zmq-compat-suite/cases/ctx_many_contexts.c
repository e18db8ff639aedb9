/* behaviour: many contexts can be created, used and terminated in sequence and side by side */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctxs[8];
    for (int i = 0; i < 8; i++) {
        ctxs[i] = zmq_ctx_new ();
        CHECK (ctxs[i]);
    }
    for (int i = 0; i < 8; i++) {
        void *a = zmq_socket (ctxs[i], ZMQ_PAIR);
        void *b = zmq_socket (ctxs[i], ZMQ_PAIR);
        CHECK (a && b);
        CHECK_OK (zmq_bind (a, "inproc://ctx-many"));
        CHECK_OK (zmq_connect (b, "inproc://ctx-many"));
        send_str (b, "ping", 0);
        recv_str_eq (a, "ping", 0);
        CHECK_OK (zmq_close (a));
        CHECK_OK (zmq_close (b));
    }
    for (int i = 0; i < 8; i++)
        CHECK_OK (zmq_ctx_term (ctxs[i]));
    for (int i = 0; i < 50; i++) {
        void *c = zmq_ctx_new ();
        CHECK (c);
        void *s = zmq_socket (c, ZMQ_PUB);
        CHECK (s);
        CHECK_OK (zmq_close (s));
        CHECK_OK (zmq_ctx_term (c));
    }
    return 0;
}
