/* behaviour: a REQ connected to several REPs sends successive requests to them in turn. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK (req);
    void *rep[2];
    for (int i = 0; i < 2; i++) {
        char ep[128];
        snprintf (ep, sizeof ep, "inproc://zcs-%d-reqrr%d", (int) getpid (), i);
        rep[i] = zmq_socket (ctx, ZMQ_REP);
        CHECK (rep[i]);
        CHECK_OK (zmq_bind (rep[i], ep));
        CHECK_OK (zmq_connect (req, ep));
    }
    int first = -1;
    for (int k = 0; k < 6; k++) {
        send_str (req, "q", 0);
        zmq_pollitem_t items[2] = {{rep[0], 0, ZMQ_POLLIN, 0},
                                   {rep[1], 0, ZMQ_POLLIN, 0}};
        CHECK (zmq_poll (items, 2, 2000) == 1);
        int who = (items[0].revents & ZMQ_POLLIN) ? 0 : 1;
        if (k == 0)
            first = who;
        else if (who != (first + k) % 2)
            FAIL ("request %d went to rep %d, not round robin", k, who);
        recv_str_eq (rep[who], "q", 0);
        send_str (rep[who], "a", 0);
        recv_str_eq (req, "a", 0);
    }
    zmq_close (req);
    for (int i = 0; i < 2; i++)
        zmq_close (rep[i]);
    zmq_ctx_term (ctx);
    return 0;
}
