/* behaviour: with ZMQ_RECONNECT_STOP CONN_REFUSED, a tcp connect that was refused is given up and its endpoint removed: zmq_disconnect of it then fails with ENOENT (without the flag, zmq_disconnect succeeds) */
#include "testutil.h"

/* Declared only under ZMQ_BUILD_DRAFT_API in zmq.h; libzmq handles it in
 * every build. */
#define OPT_RECONNECT_STOP 109
#define RECONNECT_STOP_CONN_REFUSED 1

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);

    /* A loopback port nobody listens on any more. */
    void *tmp = zmq_socket (ctx, ZMQ_PULL);
    CHECK (tmp);
    char ep[256];
    bind_tcp_ephemeral (tmp, ep, sizeof ep);
    CHECK_OK (zmq_close (tmp));
    msleep (100);

    for (int round = 0; round < 2; round++) {
        void *s = zmq_socket (ctx, ZMQ_DEALER);
        CHECK (s);
        set_int (s, OPT_RECONNECT_STOP, round == 0 ? RECONNECT_STOP_CONN_REFUSED : 0);
        set_int (s, ZMQ_RECONNECT_IVL, 50);
        set_int (s, ZMQ_LINGER, 0);
        CHECK_OK (zmq_connect (s, ep));
        msleep (300);
        if (round == 0)
            CHECK_ERR (zmq_disconnect (s, ep), ENOENT);
        else
            CHECK_OK (zmq_disconnect (s, ep));
        CHECK_OK (zmq_close (s));
    }
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
