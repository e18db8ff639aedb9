/* behaviour: an external poll() loop that waits on ZMQ_FD only when ZMQ_EVENTS lacks POLLIN receives all 1000 messages without a lost wake-up */
#include "testutil.h"
#include <poll.h>

#define COUNT 1000

static char endpoint[256];

static void *sender (void *arg)
{
    void *ctx = arg;
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (s);
    CHECK_OK (zmq_connect (s, endpoint));
    for (int i = 0; i < COUNT; i++) {
        char buf[32];
        snprintf (buf, sizeof buf, "%d", i);
        send_str (s, buf, 0);
        if (i % 97 == 0)
            msleep (1); /* vary the pacing: bursts and gaps */
    }
    CHECK_OK (zmq_close (s));
    return NULL;
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *r = zmq_socket (ctx, ZMQ_PULL);
    CHECK (ctx && r);
    bind_tcp_ephemeral (r, endpoint, sizeof endpoint);
    int fd;
    size_t l = sizeof fd;
    CHECK_OK (zmq_getsockopt (r, ZMQ_FD, &fd, &l));
    pthread_t t = thread_start (sender, ctx);
    int received = 0;
    while (received < COUNT) {
        int ev = get_int (r, ZMQ_EVENTS);
        if (!(ev & ZMQ_POLLIN)) {
            struct pollfd pfd = {fd, POLLIN, 0};
            int rc = poll (&pfd, 1, 5000);
            if (rc == 0)
                FAIL ("no wake-up on ZMQ_FD for 5 s after %d of %d messages "
                      "(ZMQ_EVENTS %d)",
                      received, COUNT, get_int (r, ZMQ_EVENTS));
            continue;
        }
        /* Drain everything that is there, as edge-triggered use requires. */
        for (;;) {
            char buf[32];
            int n = zmq_recv (r, buf, sizeof buf - 1, ZMQ_DONTWAIT);
            if (n < 0) {
                CHECK_EQ_INT (zmq_errno (), EAGAIN);
                break;
            }
            buf[n] = 0;
            if (atoi (buf) != received)
                FAIL ("message %d arrived as '%s'", received, buf);
            received++;
        }
    }
    pthread_join (t, NULL);
    CHECK_OK (zmq_close (r));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
