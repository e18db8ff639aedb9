/* behaviour: libzmq's own errno values are ZMQ_HAUSNUMERO+51..54 and POSIX ones are the libc values */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    CHECK_EQ_INT (ZMQ_HAUSNUMERO, 156384712);
    CHECK_EQ_INT (EFSM, ZMQ_HAUSNUMERO + 51);
    CHECK_EQ_INT (ENOCOMPATPROTO, ZMQ_HAUSNUMERO + 52);
    CHECK_EQ_INT (ETERM, ZMQ_HAUSNUMERO + 53);
    CHECK_EQ_INT (EMTHREAD, ZMQ_HAUSNUMERO + 54);
    /* On Linux these come from <errno.h>, not the HAUSNUMERO fallbacks. */
    CHECK_EQ_INT (ENOTSUP, 95);
    CHECK_EQ_INT (EPROTONOSUPPORT, 93);
    CHECK_EQ_INT (ENOTSOCK, 88);
    CHECK_EQ_INT (EHOSTUNREACH, 113);
    CHECK_EQ_INT (EADDRINUSE, 98);
    /* And the library really reports them: an unknown transport. */
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (s);
    CHECK_ERR (zmq_bind (s, "nosuchproto://x"), EPROTONOSUPPORT);
    CHECK_EQ_INT (zmq_errno (), 93);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
