/* behaviour: the socket file (and temporary directory) created for an ipc wildcard bind are removed when the socket is closed. */
#include "testutil.h"
#include <libgen.h>

int main (void)
{
    test_deadline (20);
    setenv ("TMPDIR", "/tmp", 1);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    CHECK_OK (zmq_bind (pull, "ipc://*"));
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, ep, &len));
    char path[256], dir[256];
    snprintf (path, sizeof path, "%s", ep + 6);
    snprintf (dir, sizeof dir, "%s", path);
    dirname (dir);
    if (access (path, F_OK) != 0)
        FAIL ("wildcard socket file %s does not exist", path);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    if (access (path, F_OK) == 0)
        FAIL ("%s still exists after close", path);
    if (strcmp (dir, ".") != 0 && strcmp (dir, "/tmp") != 0
        && access (dir, F_OK) == 0)
        FAIL ("directory %s still exists after close", dir);
    return 0;
}
