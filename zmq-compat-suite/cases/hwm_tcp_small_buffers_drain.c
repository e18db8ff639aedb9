/* behaviour: with ZMQ_SNDBUF/ZMQ_RCVBUF of 4 KiB on both ends (smaller than one message), a PUSH that filled four PULLs to their high-water marks (4000 messages of 8 KiB) delivers all of them once the PULLs read, none lost. The deadline bounds a hang: when the buffer sizes were set only after the tcp handshake, two of our sockets moved one such message per 40-100 ms (the sender, window-limited, waited for its 200 ms probes). Which PULL gets how many is not checked: round-robin over pipes with room, as in libzmq. */
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
    zmq_pollitem_t items[PULLS];
    for (int i = 0; i < PULLS; i++) {
        pulls[i] = zmq_socket (ctx, ZMQ_PULL);
        CHECK (pulls[i]);
        set_int (pulls[i], ZMQ_RCVHWM, HWM);
        set_int (pulls[i], ZMQ_RCVBUF, BUF);
        set_int (pulls[i], ZMQ_LINGER, 0);
        CHECK_OK (zmq_connect (pulls[i], ep));
        items[i].socket = pulls[i];
        items[i].fd = 0;
        items[i].events = ZMQ_POLLIN;
        items[i].revents = 0;
    }
    /* Every pull connected before the burst, so the round robin reaches all. */
    msleep (300);
    static char data[SIZE];
    for (int i = 0; i < HWM * 2 * PULLS; i++)
        CHECK (zmq_send (push, data, sizeof data, 0) == SIZE);
    int got = 0;
    while (got < HWM * 2 * PULLS) {
        CHECK (zmq_poll (items, PULLS, 20000) > 0);
        for (int i = 0; i < PULLS; i++)
            while (zmq_recv (pulls[i], data, sizeof data, ZMQ_DONTWAIT) == SIZE)
                got++;
    }
    CHECK (got == HWM * 2 * PULLS);
    for (int i = 0; i < PULLS; i++)
        CHECK_OK (zmq_close (pulls[i]));
    CHECK_OK (zmq_close (push));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
