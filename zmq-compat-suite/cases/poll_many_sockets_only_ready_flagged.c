/* behaviour: zmq_poll over many sockets returns the number of ready items and flags exactly those */
#include "testutil.h"

#define N 20

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *in[N], *out[N];
    zmq_pollitem_t items[N];
    for (int i = 0; i < N; i++) {
        char ep[64];
        snprintf (ep, sizeof ep, "inproc://poll-many-%d", i);
        in[i] = zmq_socket (ctx, ZMQ_PAIR);
        out[i] = zmq_socket (ctx, ZMQ_PAIR);
        CHECK (in[i] && out[i]);
        CHECK_OK (zmq_bind (in[i], ep));
        CHECK_OK (zmq_connect (out[i], ep));
        items[i].socket = in[i];
        items[i].fd = 0;
        items[i].events = ZMQ_POLLIN;
        items[i].revents = 0;
    }
    send_str (out[3], "three", 0);
    send_str (out[11], "eleven", 0);
    send_str (out[19], "nineteen", 0);
    CHECK_EQ_INT (zmq_poll (items, N, 1000), 3);
    for (int i = 0; i < N; i++) {
        int ready = (i == 3 || i == 11 || i == 19);
        if (items[i].revents != (ready ? ZMQ_POLLIN : 0))
            FAIL ("item %d: revents %d", i, items[i].revents);
    }
    recv_str_eq (in[11], "eleven", 0);
    CHECK_EQ_INT (zmq_poll (items, N, 0), 2);
    CHECK_EQ_INT (items[11].revents, 0);
    for (int i = 0; i < N; i++) {
        CHECK_OK (zmq_close (in[i]));
        CHECK_OK (zmq_close (out[i]));
    }
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
