/* behaviour: over tcp a PUSH whose PULL does not read eventually stops accepting sends, and every accepted message is later delivered in order. */
#include "testutil.h"

#define MSG_SIZE 16384

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (push && pull);
    set_int (push, ZMQ_SNDHWM, 10);
    set_int (pull, ZMQ_RCVHWM, 10);
    set_int (push, ZMQ_SNDBUF, 65536);
    set_int (pull, ZMQ_RCVBUF, 65536);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    CHECK_OK (zmq_connect (push, ep));
    static char msg[MSG_SIZE];
    memset (msg, 'x', sizeof msg);

    /* Send until the PUSH has refused every send for 300 ms. */
    int sent = 0;
    long long blocked_since = -1;
    for (;;) {
        if (sent > 100000)
            FAIL ("PUSH never blocked");
        snprintf (msg, sizeof msg, "%d", sent);
        if (zmq_send (push, msg, sizeof msg, ZMQ_DONTWAIT) == MSG_SIZE) {
            sent++;
            blocked_since = -1;
            continue;
        }
        CHECK_EQ_INT (zmq_errno (), EAGAIN);
        if (blocked_since < 0)
            blocked_since = now_ms ();
        else if (now_ms () - blocked_since > 300)
            break;
        msleep (5);
    }
    if (sent < 20)
        FAIL ("blocked after only %d messages", sent);
    static char buf[MSG_SIZE];
    for (int i = 0; i < sent; i++) {
        if (!poll_in_ms (pull, 5000))
            FAIL ("message %d of %d lost", i, sent);
        CHECK_EQ_INT (zmq_recv (pull, buf, sizeof buf, 0), MSG_SIZE);
        if (atoi (buf) != i)
            FAIL ("message %d arrived as %d", i, atoi (buf));
    }
    expect_silence (pull, 100);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
