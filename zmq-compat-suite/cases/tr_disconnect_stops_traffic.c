/* behaviour: after zmq_disconnect from one endpoint, a PUSH sends everything to its remaining peer. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *a = zmq_socket (ctx, ZMQ_PULL);
    void *b = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (a && b && push);
    char epa[256], epb[256];
    bind_tcp_ephemeral (a, epa, sizeof epa);
    bind_tcp_ephemeral (b, epb, sizeof epb);
    CHECK_OK (zmq_connect (push, epa));
    CHECK_OK (zmq_connect (push, epb));
    /* Wait until both connections carry traffic. */
    int got_a = 0, got_b = 0;
    long long deadline = now_ms () + 5000;
    char buf[16];
    while (!(got_a && got_b)) {
        if (now_ms () > deadline)
            FAIL ("both peers never received");
        send_str (push, "warm", 0);
        if (recv_str_within (a, buf, sizeof buf, 10) >= 0)
            got_a = 1;
        if (recv_str_within (b, buf, sizeof buf, 10) >= 0)
            got_b = 1;
    }
    CHECK_OK (zmq_disconnect (push, epa));
    while (recv_str_within (a, buf, sizeof buf, 100) >= 0)
        ;
    while (recv_str_within (b, buf, sizeof buf, 100) >= 0)
        ;
    for (int i = 0; i < 10; i++)
        send_str (push, "after", 0);
    for (int i = 0; i < 10; i++)
        recv_str_eq (b, "after", 0);
    expect_silence (a, 200);
    zmq_close (push);
    zmq_close (a);
    zmq_close (b);
    zmq_ctx_term (ctx);
    return 0;
}
