/* behaviour: ws binds take tcp's wildcard, ephemeral and interface forms; LAST_ENDPOINT reports the real port and the path (default "/"), a connect's reports the address with its path. */
#include "testutil.h"

static void bound (void *ctx, const char *addr, const char *prefix,
                   const char *path)
{
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (s);
    CHECK_OK (zmq_bind (s, addr));
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (s, ZMQ_LAST_ENDPOINT, ep, &len));
    size_t pl = strlen (prefix);
    if (strncmp (ep, prefix, pl) != 0 || atoi (ep + pl) <= 0)
        FAIL ("bind %s: LAST_ENDPOINT '%s'", addr, ep);
    const char *p = ep + pl;
    while (*p >= '0' && *p <= '9')
        p++;
    if (strcmp (p, path) != 0)
        FAIL ("bind %s: LAST_ENDPOINT '%s', want path '%s'", addr, ep, path);
    /* The reported endpoint is the one unbind takes. */
    CHECK_OK (zmq_unbind (s, ep));
    zmq_close (s);
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    bound (ctx, "ws://*:*/any", "ws://0.0.0.0:", "/any");
    bound (ctx, "ws://127.0.0.1:*", "ws://127.0.0.1:", "/");
    bound (ctx, "ws://127.0.0.1:0/zero", "ws://127.0.0.1:", "/zero");
    bound (ctx, "ws://lo:*/nic", "ws://127.0.0.1:", "/nic");

    void *s = zmq_socket (ctx, ZMQ_PAIR);
    CHECK_ERR (zmq_bind (s, "ws://127.0.0.1"), EINVAL);
    CHECK_ERR (zmq_connect (s, "ws://127.0.0.1:*"), EINVAL);
    CHECK_ERR (zmq_connect (s, "ws://127.0.0.1"), EINVAL);

    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_connect (s, "ws://127.0.0.1:5555"));
    CHECK_OK (zmq_getsockopt (s, ZMQ_LAST_ENDPOINT, ep, &len));
    if (strcmp (ep, "ws://127.0.0.1:5555/") != 0)
        FAIL ("connect LAST_ENDPOINT '%s'", ep);
    len = sizeof ep;
    CHECK_OK (zmq_connect (s, "ws://127.0.0.1:5556/p"));
    CHECK_OK (zmq_getsockopt (s, ZMQ_LAST_ENDPOINT, ep, &len));
    if (strcmp (ep, "ws://127.0.0.1:5556/p") != 0)
        FAIL ("connect LAST_ENDPOINT '%s'", ep);
    /* Disconnect takes the endpoint as it was given. */
    CHECK_OK (zmq_disconnect (s, "ws://127.0.0.1:5555"));
    CHECK_OK (zmq_disconnect (s, "ws://127.0.0.1:5556/p"));
    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
