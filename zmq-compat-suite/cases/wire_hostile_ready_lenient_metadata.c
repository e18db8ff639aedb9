/* behaviour: as libzmq 4.3, a ROUTER accepts a NULL READY whose Identity is 300 bytes (used as the routing id), one without Socket-Type, one with an empty property name, and one whose list ends right after a name or a value size. */
#include "wireutil.h"

static size_t prop (unsigned char *out, const char *name, size_t nl,
                    const void *value, size_t vl)
{
    size_t n = 0;
    out[n++] = (unsigned char) nl;
    memcpy (out + n, name, nl);
    n += nl;
    out[n++] = (unsigned char) (vl >> 24);
    out[n++] = (unsigned char) (vl >> 16);
    out[n++] = (unsigned char) (vl >> 8);
    out[n++] = (unsigned char) vl;
    memcpy (out + n, value, vl);
    return n + vl;
}

/* Handshakes with `props` as READY, sends "hello", and expects the ROUTER
 * to deliver it under routing id `id` (len idl; idl < 0: any id). */
static void accepted (void *router, const char *ep, const unsigned char *props,
                      size_t n, const void *id, int idl, const char *what)
{
    int fd = wu_connect_endpoint (ep);
    unsigned char g[64];
    wu_send_greeting (fd, 1, "NULL");
    wu_recv_greeting_null (fd, g);
    wu_send_command (fd, "READY", props, n);
    wu_expect_ready (fd, "ROUTER");
    wu_send_msg_str (fd, "hello", 0);
    if (!poll_in_ms (router, 5000))
        FAIL ("%s: nothing delivered", what);
    zmq_msg_t m;
    zmq_msg_init (&m);
    CHECK (zmq_msg_recv (&m, router, 0) >= 0);
    if (idl >= 0
        && (zmq_msg_size (&m) != (size_t) idl
            || memcmp (zmq_msg_data (&m), id, (size_t) idl) != 0))
        FAIL ("%s: routing id of %zu bytes, want %d", what, zmq_msg_size (&m),
              idl);
    zmq_msg_close (&m);
    recv_str_eq (router, "hello", 0);
    close (fd);
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (router);
    char ep[256];
    bind_tcp_ephemeral (router, ep, sizeof ep);
    unsigned char props[1024];
    size_t n;

    char id[300];
    memset (id, 'i', sizeof id);
    n = prop (props, "Socket-Type", 11, "DEALER", 6);
    n += prop (props + n, "Identity", 8, id, sizeof id);
    accepted (router, ep, props, n, id, (int) sizeof id, "300-byte identity");

    n = prop (props, "Identity", 8, "abc", 3);
    accepted (router, ep, props, n, "abc", 3, "no Socket-Type");

    n = prop (props, "Socket-Type", 11, "DEALER", 6);
    n += prop (props + n, "", 0, "x", 1);
    accepted (router, ep, props, n, NULL, -1, "empty name");

    n = prop (props, "Socket-Type", 11, "DEALER", 6);
    memcpy (props + n, "\x05Hello", 6);
    accepted (router, ep, props, n + 6, NULL, -1, "ends after a name");

    n = prop (props, "Socket-Type", 11, "DEALER", 6);
    memcpy (props + n, "\x08Identity\x00\x00\x00\x09", 13);
    accepted (router, ep, props, n + 13, NULL, -1, "ends after a value size");

    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
