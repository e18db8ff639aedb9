/* behaviour: zmq_ctx_term from another thread makes a blocked zmq_recv return -1 with ETERM */
#include "testutil.h"

static void *sock;
static int recv_rc, recv_errno;

static void *receiver (void *arg)
{
    (void) arg;
    char buf[8];
    recv_rc = zmq_recv (sock, buf, sizeof buf, 0);
    recv_errno = zmq_errno ();
    CHECK_OK (zmq_close (sock));
    return NULL;
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    sock = zmq_socket (ctx, ZMQ_PULL);
    CHECK (sock);
    CHECK_OK (zmq_bind (sock, "inproc://ctx-term-wakes"));
    pthread_t t = thread_start (receiver, NULL);
    msleep (200);
    CHECK_OK (zmq_ctx_term (ctx));
    pthread_join (t, NULL);
    CHECK_EQ_INT (recv_rc, -1);
    CHECK_EQ_INT (recv_errno, ETERM);
    return 0;
}
