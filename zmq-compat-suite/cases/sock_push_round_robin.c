/* behaviour: PUSH load-balances messages round-robin over its connected PULL peers, each getting every Nth message. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "rr");
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    CHECK_OK (zmq_bind (push, ep));
    void *pull[3];
    for (int i = 0; i < 3; i++) {
        pull[i] = zmq_socket (ctx, ZMQ_PULL);
        CHECK (pull[i]);
        CHECK_OK (zmq_connect (pull[i], ep));
    }
    /* Let the PUSH socket process the three attach commands. */
    get_int (push, ZMQ_EVENTS);

    for (int i = 0; i < 12; i++) {
        char buf[16];
        snprintf (buf, sizeof buf, "%d", i);
        send_str (push, buf, 0);
    }
    /* Each peer gets 4 messages, consecutive ones 3 apart, and the three
       peers start at 0, 1 and 2 in some order. */
    int seen_start[3] = {0, 0, 0};
    for (int p = 0; p < 3; p++) {
        int prev = -1;
        for (int k = 0; k < 4; k++) {
            char buf[16];
            int n = recv_str_within (pull[p], buf, sizeof buf, 2000);
            if (n < 0)
                FAIL ("peer %d got only %d messages", p, k);
            int v = atoi (buf);
            if (k == 0) {
                if (v < 0 || v > 2)
                    FAIL ("peer %d first message %d", p, v);
                seen_start[v]++;
            } else if (v != prev + 3)
                FAIL ("peer %d: message %d after %d, not round robin", p, v,
                      prev);
            prev = v;
        }
        expect_silence (pull[p], 50);
    }
    CHECK (seen_start[0] == 1 && seen_start[1] == 1 && seen_start[2] == 1);

    for (int i = 0; i < 3; i++)
        zmq_close (pull[i]);
    zmq_close (push);
    zmq_ctx_term (ctx);
    return 0;
}
