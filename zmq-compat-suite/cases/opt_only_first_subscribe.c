/* behaviour: with ZMQ_ONLY_FIRST_SUBSCRIBE an XPUB reads only the first frame of each incoming message as a (un)subscription, and an XSUB sends the later frames of a message as plain data; a SUB refuses the option and negative values are EINVAL */
/* libzmq names the option in its draft header only, yet its XPUB and XSUB
 * take it in every build: checked on Debian's stable libzmq 4.3.4 and on
 * libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks pass on both). */
#include "testutil.h"

#ifndef ZMQ_ONLY_FIRST_SUBSCRIBE
#define ZMQ_ONLY_FIRST_SUBSCRIBE 108
#endif

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    void *xsub = zmq_socket (ctx, ZMQ_XSUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    int v = -1;
    CHECK_ERR (zmq_setsockopt (xpub, ZMQ_ONLY_FIRST_SUBSCRIBE, &v, sizeof v),
               EINVAL);
    CHECK_ERR (zmq_setsockopt (xsub, ZMQ_ONLY_FIRST_SUBSCRIBE, &v, sizeof v),
               EINVAL);
    v = 1;
    CHECK_ERR (zmq_setsockopt (sub, ZMQ_ONLY_FIRST_SUBSCRIBE, &v, sizeof v),
               EINVAL);
    set_int (xpub, ZMQ_ONLY_FIRST_SUBSCRIBE, 1);
    set_int (xsub, ZMQ_ONLY_FIRST_SUBSCRIBE, 1);
    char ep[256];
    bind_tcp_ephemeral (xpub, ep, sizeof ep);
    CHECK_OK (zmq_connect (xsub, ep));

    const char sub_a[] = {1, 'A', 0};
    const char sub_b[] = {1, 'B', 0};
    send_str (xsub, sub_a, 0);
    recv_str_eq (xpub, sub_a, 0);
    /* A second frame that looks like a subscription is data. */
    send_str (xsub, "data", ZMQ_SNDMORE);
    send_str (xsub, sub_b, 0);
    recv_str_eq (xpub, "data", 0);
    CHECK_EQ_INT (get_int (xpub, ZMQ_RCVMORE), 1);
    recv_str_eq (xpub, sub_b, 0);
    CHECK_EQ_INT (get_int (xpub, ZMQ_RCVMORE), 0);

    send_str (xpub, "B1", 0);
    send_str (xpub, "A1", 0);
    recv_str_eq (xsub, "A1", 0);
    expect_silence (xsub, 100);

    zmq_close (sub);
    zmq_close (xsub);
    zmq_close (xpub);
    zmq_ctx_term (ctx);
    return 0;
}
