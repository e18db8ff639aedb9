/* behaviour: a tcp PUSH->PULL connection whose reader reads nothing takes about ZMQ_SNDHWM + ZMQ_RCVHWM messages of 64 KiB (4 KiB kernel buffers) before a send times out, not twice ZMQ_SNDHWM more: what the sending engine has taken from the queue and not yet written is bounded by a write batch (libzmq's encoder: out_batch_size), not the whole queue. The reference takes 200 of 100 + 100; Monocoque took ~300 when its write pump took every queued message at once. */
#include "testutil.h"

enum { SNDHWM = 100, RCVHWM = 100, SIZE = 65536, BUF = 4096 };

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    set_int (push, ZMQ_SNDHWM, SNDHWM);
    set_int (push, ZMQ_SNDBUF, BUF);
    set_int (push, ZMQ_LINGER, 0);
    /* A send that finds no room for this long ends the burst: the
       connection is full (a slow machine only ends it early, which can
       only lower the count). */
    set_int (push, ZMQ_SNDTIMEO, 300);
    char ep[128];
    bind_tcp_ephemeral (push, ep, sizeof ep);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    set_int (pull, ZMQ_RCVHWM, RCVHWM);
    set_int (pull, ZMQ_RCVBUF, BUF);
    set_int (pull, ZMQ_LINGER, 0);
    CHECK_OK (zmq_connect (pull, ep));
    static char data[SIZE];
    int sent = 0;
    while (sent < 10 * (SNDHWM + RCVHWM) && zmq_send (push, data, SIZE, 0) == SIZE)
        sent++;
    CHECK (sent < 10 * (SNDHWM + RCVHWM));
    CHECK (zmq_errno () == EAGAIN);
    printf ("accepted %d messages (SNDHWM %d + RCVHWM %d)\n", sent, SNDHWM, RCVHWM);
    /* At least the sender's own queue; at most both queues plus the few
       messages in flight (kernel buffers, one write batch, the decoder). */
    CHECK (sent >= SNDHWM);
    CHECK (sent <= SNDHWM + RCVHWM + 10);
    CHECK_OK (zmq_close (pull));
    CHECK_OK (zmq_close (push));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
