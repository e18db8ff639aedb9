/* behaviour: without the draft API a CHANNEL pair exchanges single-frame messages both ways over inproc; SNDMORE is EINVAL */
/* The draft types' numbers are not in the stable header. Checked on
 * Debian's stable libzmq 4.3.4 (the reference, built without drafts) and on
 * libzmq 4.3.5 built with drafts (/tmp/lzd/build/lib): same answers. */
#include "testutil.h"

#define T_CHANNEL 20

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, T_CHANNEL);
    void *b = zmq_socket (ctx, T_CHANNEL);
    CHECK (a && b);
    char ep[256];
    inproc_endpoint (ep, sizeof ep, "channel");
    CHECK_OK (zmq_bind (a, ep));
    CHECK_OK (zmq_connect (b, ep));
    set_int (a, ZMQ_RCVTIMEO, 5000);
    set_int (b, ZMQ_RCVTIMEO, 5000);
    CHECK_ERR (zmq_send (a, "x", 1, ZMQ_SNDMORE), EINVAL);
    send_str (b, "ping", 0);
    recv_str_eq (a, "ping", 0);
    send_str (a, "pong", 0);
    recv_str_eq (b, "pong", 0);
    zmq_close (a);
    zmq_close (b);
    zmq_ctx_term (ctx);
    return 0;
}
