/* behaviour: with LINGER 0, closing a socket discards its undelivered messages and zmq_ctx_term returns at once. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *ctx2 = zmq_ctx_new ();
    CHECK (ctx && ctx2);
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", wu_free_port ());
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    set_int (push, ZMQ_LINGER, 0);
    set_int (push, ZMQ_RECONNECT_IVL, 50);
    CHECK_OK (zmq_connect (push, ep));
    for (int i = 0; i < 5; i++)
        send_str (push, "doomed", 0);
    long long t0 = now_ms ();
    CHECK_OK (zmq_close (push));
    CHECK_OK (zmq_ctx_term (ctx));
    long long dt = now_ms () - t0;
    if (dt > 1000)
        FAIL ("zmq_ctx_term took %lld ms with LINGER 0", dt);

    void *pull = zmq_socket (ctx2, ZMQ_PULL);
    CHECK (pull);
    if (zmq_bind (pull, ep) != 0) {
        fprintf (stderr, "port taken by another process\n");
        exit (SKIP_EXIT);
    }
    expect_silence (pull, 500);
    zmq_close (pull);
    zmq_ctx_term (ctx2);
    return 0;
}
