/* behaviour: the ipc transport binds a Unix-domain socket file at the given path and peers connecting to it exchange messages. */
#include "testutil.h"
#include <sys/stat.h>

int main (void)
{
    test_deadline (20);
    char ep[256];
    ipc_endpoint (ep, sizeof ep, "path");
    const char *path = ep + 6;
    unlink (path);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK (rep && req);
    CHECK_OK (zmq_bind (rep, ep));
    struct stat st;
    if (stat (path, &st) != 0 || !S_ISSOCK (st.st_mode))
        FAIL ("no socket file at %s", path);
    char le[256];
    size_t len = sizeof le;
    CHECK_OK (zmq_getsockopt (rep, ZMQ_LAST_ENDPOINT, le, &len));
    if (strcmp (le, ep) != 0)
        FAIL ("LAST_ENDPOINT '%s', want '%s'", le, ep);
    CHECK_OK (zmq_connect (req, ep));
    send_str (req, "over-ipc", 0);
    recv_str_eq (rep, "over-ipc", 0);
    send_str (rep, "back", 0);
    recv_str_eq (req, "back", 0);
    zmq_close (req);
    zmq_close (rep);
    zmq_ctx_term (ctx);
    unlink (path);
    return 0;
}
