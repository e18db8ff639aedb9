/* behaviour: LINGER -1, RCVTIMEO -1, SNDTIMEO -1, RECONNECT_IVL 100, RECONNECT_IVL_MAX 0, BACKLOG 100, HANDSHAKE_IVL 30000, CONNECT_TIMEOUT 0, TCP_MAXRT 0 by default */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && s);
    CHECK_EQ_INT (get_int (s, ZMQ_LINGER), -1);
    CHECK_EQ_INT (get_int (s, ZMQ_RCVTIMEO), -1);
    CHECK_EQ_INT (get_int (s, ZMQ_SNDTIMEO), -1);
    CHECK_EQ_INT (get_int (s, ZMQ_RECONNECT_IVL), 100);
    CHECK_EQ_INT (get_int (s, ZMQ_RECONNECT_IVL_MAX), 0);
    CHECK_EQ_INT (get_int (s, ZMQ_BACKLOG), 100);
    CHECK_EQ_INT (get_int (s, ZMQ_HANDSHAKE_IVL), 30000);
    CHECK_EQ_INT (get_int (s, ZMQ_CONNECT_TIMEOUT), 0);
    CHECK_EQ_INT (get_int (s, ZMQ_TCP_MAXRT), 0);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
