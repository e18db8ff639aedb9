/* behaviour: with ZMQ_SNDBUF/ZMQ_RCVBUF of 4 KiB on both ends (smaller than a message), a PUSH that filled four PULLs to their high-water marks delivers everything queued for one of them as soon as it drains: 1000 messages of 8 KiB, none lost, none stuck behind the kernel's window probes. (The case's deadline is a hang bound: before the buffers were set ahead of the handshake, two of our sockets moved one such message per 40-100 ms.) */
#include "testutil.h"

enum { PULLS = 4, HWM = 500, SIZE = 8192, BUF = 4096 };

int main (void)
{
    test_deadline (30);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    set_int (push, ZMQ_SNDHWM, HWM);
    set_int (push, ZMQ_SNDBUF, BUF);
    set_int (push, ZMQ_LINGER, 0);
    char ep[128];
    bind_tcp_ephemeral (push, ep, sizeof ep);
    void *pulls[PULLS];
    for (int i = 0; i < PULLS; i++) {
        pulls[i] = zmq_socket (ctx, ZMQ_PULL);
        CHECK (pulls[i]);
        set_int (pulls[i], ZMQ_RCVHWM, HWM);
        set_int (pulls[i], ZMQ_RCVBUF, BUF);
        set_int (pulls[i], ZMQ_LINGER, 0);
        set_int (pulls[i], ZMQ_RCVTIMEO, 20000);
        CHECK_OK (zmq_connect (pulls[i], ep));
    }
    /* Every pull connected before the burst, so the round robin reaches all. */
    msleep (300);
    static char data[SIZE];
    for (int i = 0; i < HWM * 2 * PULLS; i++)
        CHECK (zmq_send (push, data, sizeof data, 0) == SIZE);
    /* A quarter of the burst went to pulls[0]: all of it arrives. */
    for (int i = 0; i < HWM * 2; i++)
        CHECK (zmq_recv (pulls[0], data, sizeof data, 0) == SIZE);
    for (int i = 0; i < PULLS; i++)
        CHECK_OK (zmq_close (pulls[i]));
    CHECK_OK (zmq_close (push));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
