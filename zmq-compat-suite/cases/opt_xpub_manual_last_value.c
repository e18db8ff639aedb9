/* behaviour: with ZMQ_XPUB_MANUAL_LAST_VALUE an XPUB is in manual mode and the first message it sends after a ZMQ_SUBSCRIBE goes only to the subscriber whose subscription it read last (when that one matches); later messages reach every matching subscriber; a negative value is EINVAL */
/* libzmq names the option in its draft header only, yet its XPUB takes it
 * in every build: checked on Debian's stable libzmq 4.3.4 and on libzmq
 * 4.3.5 built with -DENABLE_DRAFTS=ON (all checks pass on both). */
#include "testutil.h"

#ifndef ZMQ_XPUB_MANUAL_LAST_VALUE
#define ZMQ_XPUB_MANUAL_LAST_VALUE 98
#endif

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    char name[128];
    inproc_endpoint (name, sizeof name, "mlv");
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    int v = -1;
    CHECK_ERR (zmq_setsockopt (xpub, ZMQ_XPUB_MANUAL_LAST_VALUE, &v, sizeof v),
               EINVAL);
    set_int (xpub, ZMQ_XPUB_MANUAL_LAST_VALUE, 1);
    CHECK_OK (zmq_bind (xpub, name));
    void *s1 = zmq_socket (ctx, ZMQ_XSUB);
    void *s2 = zmq_socket (ctx, ZMQ_XSUB);
    CHECK_OK (zmq_connect (s1, name));
    CHECK_OK (zmq_connect (s2, name));

    const char sub_a[] = {1, 'A', 0};
    send_str (s1, sub_a, 0);
    recv_str_eq (xpub, sub_a, 0);
    CHECK_OK (zmq_setsockopt (xpub, ZMQ_SUBSCRIBE, "A", 1));
    send_str (s2, sub_a, 0);
    recv_str_eq (xpub, sub_a, 0);
    CHECK_OK (zmq_setsockopt (xpub, ZMQ_SUBSCRIBE, "A", 1));

    send_str (xpub, "A-last", 0);
    send_str (xpub, "A-next", 0);
    recv_str_eq (s2, "A-last", 0);
    recv_str_eq (s2, "A-next", 0);
    recv_str_eq (s1, "A-next", 0);
    expect_silence (s1, 100);

    /* Manual mode: a subscription not made by ZMQ_SUBSCRIBE matches
     * nothing. */
    const char sub_b[] = {1, 'B', 0};
    send_str (s1, sub_b, 0);
    recv_str_eq (xpub, sub_b, 0);
    send_str (xpub, "B1", 0);
    expect_silence (s1, 100);

    zmq_close (s1);
    zmq_close (s2);
    zmq_close (xpub);
    zmq_ctx_term (ctx);
    return 0;
}
