/* behaviour: the library accepts frames with the 8-byte size form, both for large bodies and for bodies short enough for the 1-byte form. */
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
    int fd = wu_peer_connect (ep, "PUSH", "PULL");
    static char big[100000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char) (i * 7);
    wu_send_frame_ex (fd, 0, big, sizeof big, 0);
    wu_send_frame_ex (fd, WU_MORE, "tiny", 4, 1);
    wu_send_frame_ex (fd, 0, "", 0, 1);
    CHECK (poll_in_ms (pull, 5000));
    zmq_msg_t m;
    zmq_msg_init (&m);
    CHECK_OK (zmq_msg_recv (&m, pull, 0));
    CHECK_EQ_INT (zmq_msg_size (&m), sizeof big);
    CHECK (memcmp (zmq_msg_data (&m), big, sizeof big) == 0);
    zmq_msg_close (&m);
    recv_frame_bytes_eq (pull, "tiny", 4, 1);
    recv_frame_bytes_eq (pull, "", 0, 0);
    close (fd);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
