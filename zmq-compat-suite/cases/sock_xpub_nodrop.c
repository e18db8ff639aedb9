/* behaviour: with ZMQ_XPUB_NODROP an XPUB at its high-water mark refuses sends (EAGAIN) instead of dropping, and nothing is lost. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (xpub && sub);
    set_int (xpub, ZMQ_XPUB_NODROP, 1);
    set_int (xpub, ZMQ_SNDHWM, 10);
    set_int (sub, ZMQ_RCVHWM, 10);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "nodrop");
    CHECK_OK (zmq_bind (xpub, ep));
    CHECK_OK (zmq_connect (sub, ep));
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    recv_frame_bytes_eq (xpub, "\x01", 1, 0);

    int sent = 0;
    for (; sent < 1000; sent++) {
        char buf[16];
        snprintf (buf, sizeof buf, "%d", sent);
        int rc = zmq_send (xpub, buf, strlen (buf), ZMQ_DONTWAIT);
        if (rc < 0) {
            CHECK_EQ_INT (zmq_errno (), EAGAIN);
            break;
        }
    }
    if (sent == 1000)
        FAIL ("XPUB_NODROP never reported EAGAIN");
    if (sent < 10)
        FAIL ("EAGAIN after only %d messages", sent);
    /* Every message accepted is delivered, in order. */
    for (int i = 0; i < sent; i++) {
        char want[16];
        snprintf (want, sizeof want, "%d", i);
        recv_str_eq (sub, want, 0);
    }
    expect_silence (sub, 50);
    /* After the subscriber drained the queue, sending works again. */
    send_str (xpub, "again", 0);
    recv_str_eq (sub, "again", 0);

    zmq_close (sub);
    zmq_close (xpub);
    zmq_ctx_term (ctx);
    return 0;
}
