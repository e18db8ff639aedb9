/* behaviour: a burst of 3000 64 KiB messages over tcp, sent before the receiver reads and followed by close and term, is delivered completely and in order. */
#include "testutil.h"
#include <pthread.h>

#define COUNT 3000
#define SIZE 65536

static char endpoint[256];

static void *sender (void *arg)
{
    void *ctx = arg;
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    CHECK_OK (zmq_connect (push, endpoint));
    char *buf = calloc (1, SIZE);
    CHECK (buf);
    for (int i = 0; i < COUNT; i++) {
        memcpy (buf, &i, sizeof i);
        CHECK_EQ_INT (zmq_send (push, buf, SIZE, 0), SIZE);
    }
    free (buf);
    /* LINGER -1: close and term must not lose what is still queued. */
    CHECK_OK (zmq_close (push));
    CHECK_OK (zmq_ctx_term (ctx));
    return NULL;
}

int main (void)
{
    test_deadline (30);
    void *ctx = zmq_ctx_new ();
    void *ctx2 = zmq_ctx_new ();
    CHECK (ctx && ctx2);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    bind_tcp_ephemeral (pull, endpoint, sizeof endpoint);
    pthread_t t;
    CHECK (pthread_create (&t, NULL, sender, ctx2) == 0);
    /* Let the sender fill every queue and close before we read. */
    msleep (500);
    char *buf = malloc (SIZE + 1);
    CHECK (buf);
    set_int (pull, ZMQ_RCVTIMEO, 5000);
    for (int i = 0; i < COUNT; i++) {
        int n = zmq_recv (pull, buf, SIZE + 1, 0);
        if (n != SIZE)
            FAIL ("message %d: got %d bytes (errno %s)", i, n, zmq_strerror (zmq_errno ()));
        int seq;
        memcpy (&seq, buf, sizeof seq);
        CHECK_EQ_INT (seq, i);
    }
    free (buf);
    CHECK (pthread_join (t, NULL) == 0);
    CHECK_OK (zmq_close (pull));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
