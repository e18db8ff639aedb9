/* behaviour: a peer announcing a frame larger than ZMQ_MAXMSGSIZE is disconnected; smaller frames before it are delivered. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    int64_t max = 100;
    CHECK_OK (zmq_setsockopt (pull, ZMQ_MAXMSGSIZE, &max, sizeof max));
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    int fd = wu_peer_connect (ep, "PUSH", "PULL");
    char body[200];
    memset (body, 'z', sizeof body);
    wu_send_frame (fd, 0, body, 100); /* exactly the limit: accepted */
    CHECK (poll_in_ms (pull, 5000));
    zmq_msg_t m;
    zmq_msg_init (&m);
    CHECK_EQ_INT (zmq_msg_recv (&m, pull, 0), 100);
    zmq_msg_close (&m);

    /* Just the header of a 101-byte frame is enough to be dropped. */
    unsigned char hdr[2] = {0x00, 101};
    wu_send_all (fd, hdr, 2);
    long long deadline = now_ms () + 5000;
    for (;;) {
        if (now_ms () > deadline)
            FAIL ("oversized frame did not cause a disconnect");
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
