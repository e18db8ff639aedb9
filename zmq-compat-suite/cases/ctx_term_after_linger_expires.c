/* behaviour: zmq_ctx_term with an undeliverable message waits for the socket's LINGER period, then returns */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (s);
    set_int (s, ZMQ_LINGER, 400);
    char ep[128];
    ipc_endpoint (ep, sizeof ep, "linger-nobody");
    CHECK_OK (zmq_connect (s, ep));
    /* PUSH queues on a connecting pipe (IMMEDIATE is 0). */
    send_str (s, "never delivered", 0);
    long long t0 = now_ms ();
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    long long took = now_ms () - t0;
    if (took < 300)
        FAIL ("zmq_ctx_term returned after %lld ms, before LINGER 400 ms",
              took);
    if (took > 10000)
        FAIL ("zmq_ctx_term took %lld ms with LINGER 400 ms", took);
    return 0;
}
