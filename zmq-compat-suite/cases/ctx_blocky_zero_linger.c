/* behaviour: with ZMQ_BLOCKY 0 new sockets default to LINGER 0 instead of -1, and sockets created before keep -1 */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *before = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (before);
    CHECK_EQ_INT (get_int (before, ZMQ_LINGER), -1);
    CHECK_OK (zmq_ctx_set (ctx, ZMQ_BLOCKY, 0));
    void *after = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (after);
    CHECK_EQ_INT (get_int (after, ZMQ_LINGER), 0);
    CHECK_EQ_INT (get_int (before, ZMQ_LINGER), -1);
    /* An explicit LINGER still wins. */
    set_int (after, ZMQ_LINGER, 250);
    CHECK_EQ_INT (get_int (after, ZMQ_LINGER), 250);
    CHECK_OK (zmq_close (before));
    CHECK_OK (zmq_close (after));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
