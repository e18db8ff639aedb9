/* behaviour: with a positive LINGER, zmq_ctx_term gives up on undeliverable messages after about the linger period. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", wu_free_port ());
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    set_int (push, ZMQ_LINGER, 400);
    CHECK_EQ_INT (get_int (push, ZMQ_LINGER), 400);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "undeliverable", 0);
    long long t0 = now_ms ();
    CHECK_OK (zmq_close (push));
    /* zmq_close itself never waits. */
    CHECK (now_ms () - t0 < 200);
    CHECK_OK (zmq_ctx_term (ctx));
    long long dt = now_ms () - t0;
    if (dt < 300 || dt > 5000)
        FAIL ("zmq_ctx_term returned after %lld ms, expected ~400", dt);
    return 0;
}
