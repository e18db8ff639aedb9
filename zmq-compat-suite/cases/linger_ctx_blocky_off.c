/* behaviour: with the context option ZMQ_BLOCKY set to 0, new sockets default to LINGER 0 and zmq_ctx_term does not wait for undelivered messages. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    CHECK_OK (zmq_ctx_set (ctx, ZMQ_BLOCKY, 0));
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    CHECK_EQ_INT (get_int (push, ZMQ_LINGER), 0);
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", wu_free_port ());
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "dropped", 0);
    zmq_close (push);
    long long t0 = now_ms ();
    CHECK_OK (zmq_ctx_term (ctx));
    if (now_ms () - t0 > 1000)
        FAIL ("zmq_ctx_term waited %lld ms", now_ms () - t0);
    return 0;
}
