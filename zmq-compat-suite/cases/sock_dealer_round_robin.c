/* behaviour: a DEALER load-balances outgoing messages round-robin over its peers. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (dealer);
    CHECK_OK (zmq_setsockopt (dealer, ZMQ_ROUTING_ID, "D", 1));
    void *r[3];
    for (int i = 0; i < 3; i++) {
        char ep[128];
        snprintf (ep, sizeof ep, "inproc://zcs-%d-dealerrr%d", (int) getpid (),
                  i);
        r[i] = zmq_socket (ctx, ZMQ_ROUTER);
        CHECK (r[i]);
        CHECK_OK (zmq_bind (r[i], ep));
        CHECK_OK (zmq_connect (dealer, ep));
    }
    for (int k = 0; k < 9; k++) {
        char buf[8];
        snprintf (buf, sizeof buf, "%d", k);
        send_str (dealer, buf, 0);
    }
    int starts[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        int prev = -1;
        for (int k = 0; k < 3; k++) {
            char buf[16];
            if (recv_str_within (r[i], buf, sizeof buf, 2000) < 0)
                FAIL ("router %d got %d messages", i, k);
            CHECK (strcmp (buf, "D") == 0);
            recv_str_within (r[i], buf, sizeof buf, 2000);
            int v = atoi (buf);
            if (k == 0) {
                if (v > 2)
                    FAIL ("router %d starts at message %d", i, v);
                starts[v]++;
            }
            else if (v != prev + 3)
                FAIL ("router %d: %d after %d", i, v, prev);
            prev = v;
        }
        expect_silence (r[i], 20);
    }
    CHECK (starts[0] == 1 && starts[1] == 1 && starts[2] == 1);
    zmq_close (dealer);
    for (int i = 0; i < 3; i++)
        zmq_close (r[i]);
    zmq_ctx_term (ctx);
    return 0;
}
