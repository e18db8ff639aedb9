/* behaviour: ZMQ_METADATA (95) "X-name:value" properties go out in the handshake and zmq_msg_gets reads them on the peer's messages (the first value set for a name wins); malformed ones are EINVAL */
#include "testutil.h"

/* Declared only under ZMQ_BUILD_DRAFT_API in zmq.h; handled in every build. */
#define OPT_METADATA 95

static void set_meta (void *s, const char *prop)
{
    if (zmq_setsockopt (s, OPT_METADATA, prop, strlen (prop)) != 0)
        FAIL ("METADATA '%s' refused: errno %d", prop, zmq_errno ());
}

static void expect_property (zmq_msg_t *m, const char *name, const char *want)
{
    const char *v = zmq_msg_gets (m, name);
    if (!v || strcmp (v, want) != 0)
        FAIL ("property %s = '%s', expected '%s'", name, v ? v : "(null)",
              want);
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (pull && push);

    const char *bad[] = {"color:red", "X-color:", ":red", "X-color", "X-a:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_ERR (zmq_setsockopt (push, OPT_METADATA, bad[i], strlen (bad[i])),
                   EINVAL);
    set_meta (push, "X-color:red");
    set_meta (push, "X-color:blue");
    set_meta (push, "X-Shape:round box");
    int v = 0;
    size_t l = sizeof v;
    CHECK_ERR (zmq_getsockopt (push, OPT_METADATA, &v, &l), EINVAL);

    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "hello", 0);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    CHECK_OK (zmq_msg_recv (&m, pull, 0));
    expect_property (&m, "X-color", "red");
    expect_property (&m, "X-Shape", "round box");
    expect_property (&m, "Socket-Type", "PUSH");
    CHECK_OK (zmq_msg_close (&m));

    set_int (push, ZMQ_LINGER, 0);
    CHECK_OK (zmq_close (push));
    CHECK_OK (zmq_close (pull));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
