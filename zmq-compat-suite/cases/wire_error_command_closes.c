/* behaviour: a peer that answers the greeting with an ERROR command instead of READY is disconnected and never becomes a usable peer. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    set_int (push, ZMQ_LINGER, 0);
    char ep[256];
    bind_tcp_ephemeral (push, ep, sizeof ep);
    int fd = wu_connect_endpoint (ep);
    unsigned char g[64];
    wu_send_greeting (fd, 1, "NULL");
    wu_recv_greeting_null (fd, g);
    wu_send_command (fd, "ERROR", "\x07" "go away", 8);
    long long deadline = now_ms () + 5000;
    for (;;) {
        if (now_ms () > deadline)
            FAIL ("connection not closed after ERROR");
        get_int (push, ZMQ_EVENTS);
        if (wu_wait_closed (fd, 20))
            break;
    }
    close (fd);
    /* The PUSH still has no peer to send to. */
    CHECK_ERR (zmq_send (push, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    zmq_close (push);
    zmq_ctx_term (ctx);
    return 0;
}
