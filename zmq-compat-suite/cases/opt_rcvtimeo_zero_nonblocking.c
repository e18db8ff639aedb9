/* behaviour: ZMQ_RCVTIMEO 0 makes zmq_recv fail with EAGAIN at once when nothing is queued, and still return queued messages */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    CHECK_OK (zmq_bind (a, "inproc://opt-rcvtimeo0"));
    CHECK_OK (zmq_connect (b, "inproc://opt-rcvtimeo0"));
    set_int (a, ZMQ_RCVTIMEO, 0);
    char buf[8];
    long long t0 = now_ms ();
    CHECK_ERR (zmq_recv (a, buf, sizeof buf, 0), EAGAIN);
    CHECK (now_ms () - t0 < 1000);
    send_str (b, "here", 0);
    recv_str_eq (a, "here", 0);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
