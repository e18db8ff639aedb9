/* behaviour: with ZMQ_BLOCKY 0, zmq_ctx_term returns promptly although a socket still holds undeliverable messages */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    CHECK_OK (zmq_ctx_set (ctx, ZMQ_BLOCKY, 0));
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (s);
    char ep[128];
    ipc_endpoint (ep, sizeof ep, "blocky-nobody");
    /* Nobody ever binds: the message stays queued. */
    CHECK_OK (zmq_connect (s, ep));
    send_str (s, "pending", 0);
    CHECK_OK (zmq_close (s));
    long long t0 = now_ms ();
    CHECK_OK (zmq_ctx_term (ctx));
    long long took = now_ms () - t0;
    if (took > 5000)
        FAIL ("zmq_ctx_term took %lld ms with BLOCKY 0", took);
    return 0;
}
