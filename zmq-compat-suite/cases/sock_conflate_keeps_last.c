/* behaviour: with ZMQ_CONFLATE a receiving socket keeps only the newest message: the last one sent always arrives, older queued ones are dropped. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (pull && push);
    set_int (pull, ZMQ_CONFLATE, 1);
    CHECK_EQ_INT (get_int (pull, ZMQ_CONFLATE), 1);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "warmup", 0);
    recv_str_eq (pull, "warmup", 0);

    /* A burst while the receiver is not reading. */
    for (int i = 0; i < 200; i++) {
        char buf[16];
        snprintf (buf, sizeof buf, "%d", i);
        send_str (push, buf, 0);
    }
    msleep (300);
    int received = 0;
    char buf[16];
    for (;;) {
        if (recv_str_within (pull, buf, sizeof buf, 2000) < 0)
            FAIL ("last message never arrived (received %d)", received);
        received++;
        if (strcmp (buf, "199") == 0)
            break;
    }
    if (received >= 200)
        FAIL ("nothing was conflated: %d messages received", received);
    expect_silence (pull, 100);

    /* At rest: three messages, only the last one is kept. */
    send_str (push, "a", 0);
    send_str (push, "b", 0);
    send_str (push, "c", 0);
    CHECK (poll_in_ms (pull, 2000));
    msleep (300);
    recv_str_eq (pull, "c", 0);
    expect_silence (pull, 100);

    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
