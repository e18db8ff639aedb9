/* behaviour: a bound PAIR socket talks only to its first peer; a second connecting PAIR exchanges no messages with it. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "pair");

    void *server = zmq_socket (ctx, ZMQ_PAIR);
    void *first = zmq_socket (ctx, ZMQ_PAIR);
    void *second = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (server && first && second);
    CHECK_OK (zmq_bind (server, ep));
    CHECK_OK (zmq_connect (first, ep));
    send_str (first, "from-first", 0);
    recv_str_eq (server, "from-first", 0);

    CHECK_OK (zmq_connect (second, ep));
    /* The second peer may queue its message, but the server never gets it. */
    zmq_send (second, "from-second", 11, ZMQ_DONTWAIT);
    expect_silence (server, 300);

    /* Traffic from the server still goes to the first peer only. */
    send_str (server, "to-first", 0);
    recv_str_eq (first, "to-first", 0);
    expect_silence (second, 200);

    set_int (server, ZMQ_LINGER, 0);
    set_int (first, ZMQ_LINGER, 0);
    set_int (second, ZMQ_LINGER, 0);
    zmq_close (server);
    zmq_close (first);
    zmq_close (second);
    zmq_ctx_term (ctx);
    return 0;
}
