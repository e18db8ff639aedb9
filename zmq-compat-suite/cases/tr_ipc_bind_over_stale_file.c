/* behaviour: binding an ipc path where a stale socket file was left behind (its owner gone) succeeds and serves peers. */
#include "testutil.h"
#include <sys/socket.h>
#include <sys/un.h>

int main (void)
{
    test_deadline (20);
    char ep[256];
    ipc_endpoint (ep, sizeof ep, "stale");
    const char *path = ep + 6;
    unlink (path);
    /* Leave a socket file behind, as a crashed process would. */
    int fd = socket (AF_UNIX, SOCK_STREAM, 0);
    CHECK (fd >= 0);
    struct sockaddr_un sa;
    memset (&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    snprintf (sa.sun_path, sizeof sa.sun_path, "%s", path);
    if (bind (fd, (struct sockaddr *) &sa, sizeof sa) != 0)
        FAIL ("raw bind %s: %s", path, strerror (errno));
    close (fd);
    CHECK (access (path, F_OK) == 0);

    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (pull && push);
    CHECK_OK (zmq_bind (pull, ep));
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "fresh", 0);
    if (!poll_in_ms (pull, 5000))
        FAIL ("nothing received on the re-bound path");
    recv_str_eq (pull, "fresh", 0);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    unlink (path);
    return 0;
}
