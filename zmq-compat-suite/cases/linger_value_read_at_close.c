/* behaviour: the LINGER value in force when the socket is closed is the one that applies, even if it changed after messages were queued. */
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
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "never-delivered", 0);
    /* Default -1 would make term wait forever; switch to 0 before close. */
    set_int (push, ZMQ_LINGER, 0);
    zmq_close (push);
    long long t0 = now_ms ();
    CHECK_OK (zmq_ctx_term (ctx));
    if (now_ms () - t0 > 1000)
        FAIL ("term took %lld ms", now_ms () - t0);
    return 0;
}
