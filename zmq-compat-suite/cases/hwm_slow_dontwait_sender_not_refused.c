/* behaviour: a ZMQ_DONTWAIT sender at SNDHWM/RCVHWM 1 whose reader takes each message before the next send (milliseconds apart) is never refused with EAGAIN, over inproc and tcp */
#include "testutil.h"

static void one_transport (const char *bind_ep)
{
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (ctx && pull && push);
    set_int (push, ZMQ_SNDHWM, 1);
    set_int (pull, ZMQ_RCVHWM, 1);
    set_int (pull, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    bind_endpoint (pull, bind_ep, ep, sizeof ep);
    CHECK_OK (zmq_connect (push, ep));
    /* The first send may meet a connection still being made (tcp):
       wait for it with a blocking send. */
    send_str (push, "first", 0);
    recv_str_eq (pull, "first", 0);
    int refused = 0;
    for (int i = 0; i < 40; i++) {
        /* Past libzmq's command throttle (about a millisecond), so the
           writer has heard of every read before this send. */
        msleep (3);
        if (zmq_send (push, "x", 1, ZMQ_DONTWAIT) != 1) {
            CHECK (errno == EAGAIN);
            refused++;
            continue;
        }
        recv_str_eq (pull, "x", 0);
    }
    if (refused != 0)
        FAIL ("%s: %d of 40 paced DONTWAIT sends refused with EAGAIN, "
              "expected none",
              bind_ep, refused);
    CHECK_OK (zmq_close (push));
    CHECK_OK (zmq_close (pull));
    CHECK_OK (zmq_ctx_term (ctx));
}

int main (void)
{
    test_deadline (30);
    one_transport ("inproc://hwm-slow-dontwait");
    one_transport ("tcp");
    return 0;
}
