/* behaviour: ZMQ_RECONNECT_STOP with AFTER_DISCONNECT (4, libzmq 4.3.5; skipped on older libraries): once zmq_disconnect was called on the socket, its ipc connecter stops retrying a refused connect; without the flag it keeps retrying */
#include "testutil.h"
#include <sys/socket.h>
#include <sys/un.h>

/* Declared only under ZMQ_BUILD_DRAFT_API in zmq.h; libzmq handles it in
 * every build. */
#define OPT_RECONNECT_STOP 109
#define RECONNECT_STOP_AFTER_DISCONNECT 4

/* CONNECT_RETRIED events within ms. */
static int count_retries (void *mon, int ms)
{
    int retried = 0;
    long long deadline = now_ms () + ms;
    for (;;) {
        long left = (long) (deadline - now_ms ());
        if (left <= 0)
            return retried;
        int ev = recv_monitor_event (mon, (int) left, NULL, NULL, 0);
        if (ev < 0)
            return retried;
        if (ev == ZMQ_EVENT_CONNECT_RETRIED)
            retried++;
    }
}

int main (void)
{
    test_deadline (20);
    /* AFTER_DISCONNECT is new in 4.3.5: 4.3.4 (the Debian reference)
     * accepts the bit and ignores it. */
    int major, minor, patch;
    zmq_version (&major, &minor, &patch);
    if (major * 10000 + minor * 100 + patch < 40305) {
        printf ("libzmq %d.%d.%d has no RECONNECT_STOP_AFTER_DISCONNECT\n",
                major, minor, patch);
        return SKIP_EXIT;
    }
    /* A unix socket file nobody listens on: connects get ECONNREFUSED. */
    char path[108];
    snprintf (path, sizeof path, "/tmp/zcs-%d-stale.sock", (int) getpid ());
    unlink (path);
    int fd = socket (AF_UNIX, SOCK_STREAM, 0);
    CHECK (fd >= 0);
    struct sockaddr_un sa;
    memset (&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    strcpy (sa.sun_path, path);
    CHECK (bind (fd, (struct sockaddr *) &sa, sizeof sa) == 0);
    close (fd);
    char stale[160];
    snprintf (stale, sizeof stale, "ipc://%s", path);

    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *other = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (other);
    char other_ep[256];
    bind_tcp_ephemeral (other, other_ep, sizeof other_ep);

    int with_flag[2] = {RECONNECT_STOP_AFTER_DISCONNECT, 0};
    for (int round = 0; round < 2; round++) {
        void *s = zmq_socket (ctx, ZMQ_DEALER);
        CHECK (s);
        set_int (s, OPT_RECONNECT_STOP, with_flag[round]);
        set_int (s, ZMQ_RECONNECT_IVL, 50);
        char mon_ep[128];
        inproc_endpoint (mon_ep, sizeof mon_ep, round ? "plain" : "stop");
        CHECK_OK (zmq_socket_monitor (s, mon_ep, ZMQ_EVENT_ALL));
        void *mon = zmq_socket (ctx, ZMQ_PAIR);
        CHECK (mon);
        CHECK_OK (zmq_connect (mon, mon_ep));
        CHECK_OK (zmq_connect (s, stale));
        CHECK_OK (zmq_connect (s, other_ep));

        /* Before any zmq_disconnect the flag changes nothing. */
        if (count_retries (mon, 400) < 2)
            FAIL ("round %d: a refused ipc connect was not retried", round);
        CHECK_OK (zmq_disconnect (s, other_ep));
        /* The attempt in flight may still be retried once. */
        count_retries (mon, 200);
        int later = count_retries (mon, 500);
        if (with_flag[round] && later)
            FAIL ("AFTER_DISCONNECT set, yet %d retries after "
                  "zmq_disconnect",
                  later);
        if (!with_flag[round] && later < 2)
            FAIL ("without RECONNECT_STOP only %d retries in 500 ms", later);

        set_int (s, ZMQ_LINGER, 0);
        CHECK_OK (zmq_socket_monitor (s, NULL, 0));
        CHECK_OK (zmq_close (s));
        set_int (mon, ZMQ_LINGER, 0);
        CHECK_OK (zmq_close (mon));
    }
    set_int (other, ZMQ_LINGER, 0);
    CHECK_OK (zmq_close (other));
    CHECK_OK (zmq_ctx_term (ctx));
    unlink (path);
    return 0;
}
