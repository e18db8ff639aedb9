/* behaviour: a peer that sends a malformed command during the handshake (READY whose property list does not parse) is disconnected. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    int fd = wu_connect_endpoint (ep);
    unsigned char g[64];
    wu_send_greeting (fd, 1, "NULL");
    wu_recv_greeting_null (fd, g);
    /* A property whose value length runs past the end of the command. */
    static const unsigned char props[] = {11,  'S', 'o', 'c', 'k', 'e', 't',
                                          '-', 'T', 'y', 'p', 'e', 0,   0,
                                          0,   200, 'P', 'U', 'S', 'H'};
    wu_send_command (fd, "READY", props, sizeof props);
    wu_try_send_all (fd, "\x00\x03" "bad", 5);
    long long deadline = now_ms () + 5000;
    for (;;) {
        if (now_ms () > deadline)
            FAIL ("connection not dropped");
        get_int (pull, ZMQ_EVENTS);
        if (wu_wait_closed (fd, 20))
            break;
    }
    expect_silence (pull, 100);
    close (fd);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
