/* behaviour: ipc://@name binds in the Linux abstract namespace (no file is created), and a second bind of the same name fails with EADDRINUSE. */
#include "testutil.h"
#include <sys/stat.h>

int main (void)
{
    test_deadline (20);
    char ep[128];
    snprintf (ep, sizeof ep, "ipc://@zcs-%d-abstract", (int) getpid ());
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *other = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (pull && other && push);
    CHECK_OK (zmq_bind (pull, ep));
    char le[256];
    size_t len = sizeof le;
    CHECK_OK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, le, &len));
    if (strcmp (le, ep) != 0)
        FAIL ("LAST_ENDPOINT '%s', want '%s'", le, ep);
    struct stat st;
    CHECK (stat (ep + 6, &st) != 0);
    CHECK_ERR (zmq_bind (other, ep), EADDRINUSE);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "abstract", 0);
    recv_str_eq (pull, "abstract", 0);
    zmq_close (push);
    zmq_close (other);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
