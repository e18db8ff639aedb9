/* A first program against Monocoque: REQ/REP over tcp and inproc. */
#include <zmq.h>
#include <stdio.h>
#include <string.h>

static int roundtrip (void *ctx, const char *endpoint)
{
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    char where[256];
    size_t len = sizeof where;
    char buf[64];
    int n;
    if (zmq_bind (rep, endpoint) != 0
        || zmq_getsockopt (rep, ZMQ_LAST_ENDPOINT, where, &len) != 0
        || zmq_connect (req, where) != 0)
        return -1;
    zmq_send (req, "hello", 5, 0);
    n = zmq_recv (rep, buf, sizeof buf, 0);
    zmq_send (rep, "world", 5, 0);
    n = zmq_recv (req, buf, sizeof buf, 0);
    printf ("%s: REQ got '%.*s' back\n", where, n < 0 ? 0 : n, buf);
    zmq_close (req);
    zmq_close (rep);
    return n == 5 && memcmp (buf, "world", 5) == 0 ? 0 : -1;
}

int main (void)
{
    int major, minor, patch;
    void *ctx = zmq_ctx_new ();
    zmq_version (&major, &minor, &patch);
    printf ("libzmq %d.%d.%d\n", major, minor, patch);
    int rc = roundtrip (ctx, "tcp://127.0.0.1:*");
    rc |= roundtrip (ctx, "inproc://hello");
    zmq_ctx_term (ctx);
    return rc == 0 ? 0 : 1;
}
