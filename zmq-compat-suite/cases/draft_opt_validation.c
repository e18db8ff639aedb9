/* behaviour: the draft socket options ROUTER_NOTIFY (ROUTER only, 0..3, read back as 0 elsewhere), IN/OUT_BATCH_SIZE (> 0, default 8192), PRIORITY (>= 0), BUSY_POLL (any int; getsockopt EINVAL), HELLO/DISCONNECT/HICCUP_MSG (write-only, any length) and XSUB_VERBOSE_UNSUBSCRIBE (XSUB only) are validated as libzmq 4.3.5 does */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass) and skipped on Debian's stable libzmq 4.3.4, which refuses every
 * one of these options with EINVAL. */
#include "draftutil.h"

static void check_int_opt (void *s, int opt, int dflt, int bad, int good)
{
    CHECK_EQ_INT (get_int (s, opt), dflt);
    CHECK_ERR (zmq_setsockopt (s, opt, &bad, sizeof bad), EINVAL);
    CHECK_EQ_INT (get_int (s, opt), dflt);
    set_int (s, opt, good);
    CHECK_EQ_INT (get_int (s, opt), good);
    CHECK_ERR (zmq_setsockopt (s, opt, "ab", 2), EINVAL);
}

int main (void)
{
    test_deadline (20);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    void *xsub = zmq_socket (ctx, ZMQ_XSUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);

    /* ROUTER_NOTIFY: a ROUTER takes 0..3; every type reads it. */
    check_int_opt (router, ZMQ_ROUTER_NOTIFY, 0, 4,
                   ZMQ_NOTIFY_CONNECT | ZMQ_NOTIFY_DISCONNECT);
    int v = -1;
    CHECK_ERR (zmq_setsockopt (router, ZMQ_ROUTER_NOTIFY, &v, sizeof v),
               EINVAL);
    v = ZMQ_NOTIFY_CONNECT;
    CHECK_ERR (zmq_setsockopt (dealer, ZMQ_ROUTER_NOTIFY, &v, sizeof v),
               EINVAL);
    CHECK_EQ_INT (get_int (dealer, ZMQ_ROUTER_NOTIFY), 0);

    check_int_opt (dealer, ZMQ_IN_BATCH_SIZE, 8192, 0, 1);
    check_int_opt (dealer, ZMQ_OUT_BATCH_SIZE, 8192, -1, 100000);
    check_int_opt (dealer, ZMQ_PRIORITY, 0, -1, 2);

    /* BUSY_POLL takes any int, and libzmq 4.3.5 fails to read it back. */
    set_int (dealer, ZMQ_BUSY_POLL, -3);
    set_int (dealer, ZMQ_BUSY_POLL, 0);
    size_t len = sizeof v;
    CHECK_ERR (zmq_getsockopt (dealer, ZMQ_BUSY_POLL, &v, &len), EINVAL);

    /* The three messages: any length, empty included, never read back. */
    int msgs[] = {ZMQ_HELLO_MSG, ZMQ_DISCONNECT_MSG, ZMQ_HICCUP_MSG};
    for (int i = 0; i < 3; i++) {
        CHECK_OK (zmq_setsockopt (dealer, msgs[i], "hello", 5));
        CHECK_OK (zmq_setsockopt (sub, msgs[i], "", 0));
        char big[1000];
        memset (big, 'x', sizeof big);
        CHECK_OK (zmq_setsockopt (router, msgs[i], big, sizeof big));
        char buf[16];
        len = sizeof buf;
        CHECK_ERR (zmq_getsockopt (dealer, msgs[i], buf, &len), EINVAL);
    }

    /* XSUB_VERBOSE_UNSUBSCRIBE: XSUB only, write-only. */
    set_int (xsub, ZMQ_XSUB_VERBOSE_UNSUBSCRIBE, 1);
    len = sizeof v;
    CHECK_ERR (zmq_getsockopt (xsub, ZMQ_XSUB_VERBOSE_UNSUBSCRIBE, &v, &len),
               EINVAL);
    v = 1;
    CHECK_ERR (
      zmq_setsockopt (sub, ZMQ_XSUB_VERBOSE_UNSUBSCRIBE, &v, sizeof v),
      EINVAL);
    CHECK_ERR (
      zmq_setsockopt (dealer, ZMQ_XSUB_VERBOSE_UNSUBSCRIBE, &v, sizeof v),
      EINVAL);

    zmq_close (router);
    zmq_close (dealer);
    zmq_close (xsub);
    zmq_close (sub);
    zmq_ctx_term (ctx);
    return 0;
}
