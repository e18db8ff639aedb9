/* behaviour: a blocking send at the high-water mark waits ZMQ_SNDTIMEO and then fails with EAGAIN. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "sndtimeo");
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (push && pull);
    set_int (push, ZMQ_SNDHWM, 2);
    set_int (pull, ZMQ_RCVHWM, 2);
    CHECK_OK (zmq_bind (pull, ep));
    CHECK_OK (zmq_connect (push, ep));
    for (int i = 0; i < 4; i++)
        send_str (push, "m", ZMQ_DONTWAIT);
    set_int (push, ZMQ_SNDTIMEO, 250);
    long long t0 = now_ms ();
    CHECK_ERR (zmq_send (push, "m", 1, 0), EAGAIN);
    long long dt = now_ms () - t0;
    if (dt < 200 || dt > 3000)
        FAIL ("blocked %lld ms, expected about 250", dt);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
