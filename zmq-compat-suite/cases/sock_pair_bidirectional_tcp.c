/* behaviour: two PAIR sockets over tcp exchange messages in both directions, multipart frames intact and in order. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (a && b);
    char ep[256];
    bind_tcp_ephemeral (a, ep, sizeof ep);
    CHECK_OK (zmq_connect (b, ep));

    send_str (b, "one", ZMQ_SNDMORE);
    send_str (b, "two", 0);
    send_str (b, "three", 0);
    recv_frame_bytes_eq (a, "one", 3, 1);
    recv_frame_bytes_eq (a, "two", 3, 0);
    recv_frame_bytes_eq (a, "three", 5, 0);

    send_str (a, "back", ZMQ_SNDMORE);
    send_str (a, "", 0);
    recv_frame_bytes_eq (b, "back", 4, 1);
    recv_frame_bytes_eq (b, "", 0, 0);

    zmq_close (a);
    zmq_close (b);
    zmq_ctx_term (ctx);
    return 0;
}
