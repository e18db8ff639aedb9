/* behaviour: LINGER bounds a large write already under way when the socket closes: with 32 MB queued to a tcp or ipc peer that stopped reading, zmq_ctx_term returns with LINGER 0 or 200 (socket bound or connecting), dropping the connection, and with LINGER -1 once the peer has read everything. */
#include "wireutil.h"
#include <pthread.h>
#include <sys/un.h>

#define BODY (1024 * 1024)
#define COUNT 32
/* A long frame: flags + 8-byte size + body. */
#define WIRE_BYTES ((size_t) COUNT * (BODY + 9))

static int unix_socket (const char *path, struct sockaddr_un *sa)
{
    int fd = socket (AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        FAIL ("socket(AF_UNIX): %s", strerror (errno));
    memset (sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    snprintf (sa->sun_path, sizeof sa->sun_path, "%s", path);
    return fd;
}

/* A raw peer listening on ipc://path (the library connects to it). */
static int unix_listen (const char *path)
{
    struct sockaddr_un sa;
    int fd = unix_socket (path, &sa);
    unlink (path);
    if (bind (fd, (struct sockaddr *) &sa, sizeof sa) != 0
        || listen (fd, 8) != 0)
        FAIL ("bind/listen %s: %s", path, strerror (errno));
    return fd;
}

static int unix_connect (const char *path)
{
    struct sockaddr_un sa;
    int fd = unix_socket (path, &sa);
    if (connect (fd, (struct sockaddr *) &sa, sizeof sa) != 0)
        FAIL ("connect %s: %s", path, strerror (errno));
    return fd;
}

static void *term_thread (void *ctx)
{
    CHECK_OK (zmq_ctx_term (ctx));
    return NULL;
}

/* A PUSH queues 32 MB for a raw PULL peer that reads nothing after the
 * handshake; once the bytes are flowing (the big write has started) the
 * PUSH is closed with `linger` and the context terminated. */
static void run (int ipc, int lib_binds, int linger)
{
    static char body[BODY];
    char ep[256];
    char path[128];
    snprintf (path, sizeof path, "/tmp/zcs-%d-lingerwip.sock", (int) getpid ());
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    int lfd = -1, fd;
    if (lib_binds) {
        if (ipc) {
            snprintf (ep, sizeof ep, "ipc://%s", path);
            CHECK_OK (zmq_bind (push, ep));
            fd = unix_connect (path);
        } else {
            bind_tcp_ephemeral (push, ep, sizeof ep);
            fd = wu_connect_endpoint (ep);
        }
    } else {
        if (ipc) {
            lfd = unix_listen (path);
            snprintf (ep, sizeof ep, "ipc://%s", path);
        } else {
            int port;
            lfd = wu_listen (&port);
            snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", port);
        }
        CHECK_OK (zmq_connect (push, ep));
        fd = wu_accept (lfd, 5000);
    }
    wu_handshake (fd, 1, "PULL", NULL, "PUSH");
    for (int i = 0; i < COUNT; i++)
        send_bytes (push, body, BODY, 0);
    /* The write is under way once its first bytes arrive. */
    if (!wu_readable (fd, 5000))
        FAIL ("no data from the PUSH");
    msleep (50);
    set_int (push, ZMQ_LINGER, linger);
    CHECK_OK (zmq_close (push));
    if (linger >= 0) {
        CHECK_OK (zmq_ctx_term (ctx));
        /* The connection was dropped, not left behind. */
        if (!wu_wait_closed (fd, 5000))
            FAIL ("the connection is still open after zmq_ctx_term");
    } else {
        pthread_t t;
        if (pthread_create (&t, NULL, term_thread, ctx) != 0)
            FAIL ("pthread_create");
        static unsigned char sink[1 << 16];
        size_t got = 0;
        while (got < WIRE_BYTES) {
            if (!wu_readable (fd, 5000))
                FAIL ("LINGER -1: delivery stalled after %zu of %zu bytes", got,
                      WIRE_BYTES);
            ssize_t n = recv (fd, sink, sizeof sink, 0);
            if (n <= 0)
                FAIL ("LINGER -1: connection ended after %zu of %zu bytes", got,
                      WIRE_BYTES);
            got += (size_t) n;
        }
        pthread_join (t, NULL);
    }
    close (fd);
    if (lfd >= 0)
        close (lfd);
    if (ipc)
        unlink (path);
}

int main (void)
{
    test_deadline (25);
    int lingers[] = {0, 200, -1};
    for (int ipc = 0; ipc < 2; ipc++)
        for (int binds = 0; binds < 2; binds++)
            for (int l = 0; l < 3; l++) {
                fprintf (stderr, "%s, library %s, LINGER %d\n",
                         ipc ? "ipc" : "tcp", binds ? "binds" : "connects",
                         lingers[l]);
                run (ipc, binds, lingers[l]);
            }
    return 0;
}
