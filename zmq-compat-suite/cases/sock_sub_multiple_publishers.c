/* behaviour: a SUB connected to several PUBs receives the matching messages of all of them. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (sub);
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "t", 1));
    void *pub[2];
    for (int i = 0; i < 2; i++) {
        pub[i] = zmq_socket (ctx, ZMQ_PUB);
        CHECK (pub[i]);
        char ep[256];
        bind_tcp_ephemeral (pub[i], ep, sizeof ep);
        CHECK_OK (zmq_connect (sub, ep));
    }
    pubsub_settle (pub[0], sub, "t-probe0");
    pubsub_settle (pub[1], sub, "t-probe1");
    send_str (pub[0], "t-from-0", 0);
    send_str (pub[1], "t-from-1", 0);
    send_str (pub[1], "x-filtered", 0);
    int seen0 = 0, seen1 = 0;
    for (int k = 0; k < 2; k++) {
        char buf[32];
        if (recv_str_within (sub, buf, sizeof buf, 5000) < 0)
            FAIL ("missing message %d", k);
        if (strcmp (buf, "t-from-0") == 0)
            seen0++;
        else if (strcmp (buf, "t-from-1") == 0)
            seen1++;
        else
            FAIL ("unexpected '%s'", buf);
    }
    CHECK (seen0 == 1 && seen1 == 1);
    expect_silence (sub, 100);
    set_int (sub, ZMQ_LINGER, 0);
    zmq_close (sub);
    zmq_close (pub[0]);
    zmq_close (pub[1]);
    zmq_ctx_term (ctx);
    return 0;
}
