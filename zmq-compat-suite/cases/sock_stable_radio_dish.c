/* behaviour: without the draft API RADIO and DISH bind and connect (inproc, udp) but a DISH cannot join a group, so it receives nothing; SNDMORE on RADIO is EINVAL */
/* The draft types' numbers are not in the stable header. Checked on
 * Debian's stable libzmq 4.3.4 (the reference, built without drafts: it
 * exports neither zmq_join nor zmq_msg_set_group). */
#include "testutil.h"

#define T_RADIO 14
#define T_DISH 15

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *radio = zmq_socket (ctx, T_RADIO);
    void *dish = zmq_socket (ctx, T_DISH);
    void *udish = zmq_socket (ctx, T_DISH);
    CHECK (radio && dish && udish);
    char ep[256], uep[64];
    inproc_endpoint (ep, sizeof ep, "radio");
    CHECK_OK (zmq_bind (radio, ep));
    CHECK_OK (zmq_connect (dish, ep));
    snprintf (uep, sizeof uep, "udp://127.0.0.1:%d",
              20000 + (getpid () * 2) % 29990);
    CHECK_OK (zmq_bind (udish, uep));
    CHECK_OK (zmq_connect (radio, uep));
    CHECK_ERR (zmq_send (radio, "x", 1, ZMQ_SNDMORE), EINVAL);
    CHECK_ERR (zmq_send (dish, "x", 1, 0), ENOTSUP);
    for (int i = 0; i < 5; i++) {
        CHECK_EQ_INT (zmq_send (radio, "news", 4, 0), 4);
        msleep (20);
    }
    set_int (dish, ZMQ_RCVTIMEO, 200);
    set_int (udish, ZMQ_RCVTIMEO, 200);
    char buf[16];
    CHECK_ERR (zmq_recv (dish, buf, sizeof buf, 0), EAGAIN);
    CHECK_ERR (zmq_recv (udish, buf, sizeof buf, 0), EAGAIN);
    zmq_close (radio);
    zmq_close (dish);
    zmq_close (udish);
    zmq_ctx_term (ctx);
    return 0;
}
