/* behaviour: ZMQ_LINGER set after connect still governs how long close+term wait for an undeliverable message */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && s);
    char ep[128];
    ipc_endpoint (ep, sizeof ep, "opt-linger");
    CHECK_OK (zmq_connect (s, ep));
    send_str (s, "stuck", 0);
    set_int (s, ZMQ_LINGER, 0);
    long long t0 = now_ms ();
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    long long took = now_ms () - t0;
    if (took > 5000)
        FAIL ("term took %lld ms with LINGER 0", took);
    return 0;
}
