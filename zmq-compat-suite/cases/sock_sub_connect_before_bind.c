/* behaviour: a SUB that connects before the PUB binds receives the PUB's messages once the PUB appears. */
#include "testutil.h"
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (sub);
    set_int (sub, ZMQ_RECONNECT_IVL, 20);
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    CHECK (pub);
    char ep[64];
    int bound = 0;
    /* The free port could be taken by someone else between probe and
       bind; retry a few times. */
    for (int attempt = 0; attempt < 5 && !bound; attempt++) {
        snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", wu_free_port ());
        CHECK_OK (zmq_connect (sub, ep));
        msleep (50);
        if (zmq_bind (pub, ep) == 0)
            bound = 1;
        else
            CHECK_OK (zmq_disconnect (sub, ep));
    }
    if (!bound)
        FAIL ("could not bind a free port");
    pubsub_settle (pub, sub, "probe");
    send_str (pub, "hello", 0);
    recv_str_eq (sub, "hello", 0);

    set_int (sub, ZMQ_LINGER, 0);
    zmq_close (sub);
    zmq_close (pub);
    zmq_ctx_term (ctx);
    return 0;
}
