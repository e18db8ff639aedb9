/* behaviour: zmq_has("WS") is 1 exactly when a ws:// bind works (0 means EPROTONOSUPPORT); the lowercase "ws" is not a capability name. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    int has = zmq_has ("WS");
    CHECK (has == 0 || has == 1);
    CHECK_EQ_INT (zmq_has ("ws"), 0);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    int rc = zmq_bind (s, "ws://127.0.0.1:*/has");
    if (has)
        CHECK_EQ_INT (rc, 0);
    else
        CHECK (rc == -1 && zmq_errno () == EPROTONOSUPPORT);
    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
