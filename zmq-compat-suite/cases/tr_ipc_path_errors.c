/* behaviour: an ipc path longer than a Unix socket address allows fails with ENAMETOOLONG; one in a missing directory fails with ENOENT. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *s = zmq_socket (ctx, ZMQ_PULL);
    CHECK (s);
    char longp[300];
    memset (longp, 'a', sizeof longp);
    memcpy (longp, "ipc:///tmp/", 11);
    longp[sizeof longp - 1] = 0;
    CHECK_ERR (zmq_bind (s, longp), ENAMETOOLONG);
    CHECK_ERR (zmq_connect (s, longp), ENAMETOOLONG);
    char missing[128];
    snprintf (missing, sizeof missing, "ipc:///tmp/zcs-%d-no-such-dir/x.sock",
              (int) getpid ());
    CHECK_ERR (zmq_bind (s, missing), ENOENT);
    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
