/* behaviour: a context's first (ipc) bind or connect made with almost no descriptors left either works or fails with EMFILE, and once descriptors are freed the context serves new binds and connects and zmq_ctx_term returns */
#include "testutil.h"
#include <sys/resource.h>

#define MAXS 256
#ifndef SPARE_MIN
#define SPARE_MIN 1
#endif

/* Waits (libzmq closes a socket's descriptor from its reaper thread, a
 * moment after zmq_close) until `k` descriptors can be opened. */
static void wait_free (int k)
{
    for (int tries = 0; tries < 200; tries++) {
        int fds[16], got = 0;
        while (got < k && (fds[got] = dup (0)) >= 0)
            got++;
        for (int i = 0; i < got; i++)
            close (fds[i]);
        if (got == k)
            return;
        msleep (10);
    }
    FAIL ("%d descriptors never came free after zmq_close", k);
}

/* One context: sockets until EMFILE, `spare` of them closed again, then
 * the context's first tcp bind (or connect), made while the process is
 * still short of descriptors; then everything closed and the context used
 * normally. */
static void round_trip_after_exhaustion (int spare, int use_connect)
{
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *extra[MAXS];
    int n = 0;
    while (n < MAXS) {
        void *s = zmq_socket (ctx, ZMQ_PULL);
        if (!s) {
            CHECK_EQ_INT (zmq_errno (), EMFILE);
            break;
        }
        set_int (s, ZMQ_LINGER, 0);
        extra[n++] = s;
    }
    CHECK (n < MAXS && n > spare);
    for (int i = 0; i < spare; i++)
        CHECK_OK (zmq_close (extra[--n]));
    wait_free (spare);
    /* ipc: libzmq resolves tcp addresses with getifaddrs, which aborts
     * (errno_assert) without a descriptor to spare; ipc needs only the
     * listening socket's. */
    char ipc[256];
    ipc_endpoint (ipc, sizeof ipc, "emfile-first");
    int rc = use_connect ? zmq_connect (extra[0], ipc) : zmq_bind (extra[0], ipc);
    if (rc != 0)
        CHECK_EQ_INT (zmq_errno (), EMFILE);
    /* Still short of descriptors for a while. */
    msleep (100);
    for (int i = 0; i < n; i++)
        CHECK_OK (zmq_close (extra[i]));
    wait_free (12);

    /* libzmq releases a closed socket's descriptor from its reaper thread,
     * a moment later. */
    void *a = NULL, *b = NULL;
    for (int tries = 0; tries < 200 && !(a && b); tries++) {
        if (!a)
            a = zmq_socket (ctx, ZMQ_PAIR);
        if (!b)
            b = zmq_socket (ctx, ZMQ_PAIR);
        if (!(a && b))
            msleep (10);
    }
    CHECK (a && b);
    set_int (a, ZMQ_LINGER, 0);
    set_int (b, ZMQ_LINGER, 0);
    set_int (b, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    bind_tcp_ephemeral (a, ep, sizeof ep);
    CHECK_OK (zmq_connect (b, ep));
    send_str (a, "works", 0);
    recv_str_eq (b, "works", 0);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
}

int main (void)
{
    test_deadline (25);
    struct rlimit rl;
    CHECK_OK (getrlimit (RLIMIT_NOFILE, &rl));
    rl.rlim_cur = 64;
    if (rl.rlim_max < 64)
        rl.rlim_max = 64;
    CHECK_OK (setrlimit (RLIMIT_NOFILE, &rl));
    for (int spare = SPARE_MIN; spare <= SPARE_MIN + 3; spare++) {
        round_trip_after_exhaustion (spare, 0);
        round_trip_after_exhaustion (spare, 1);
    }
    return 0;
}
