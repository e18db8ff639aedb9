/* behaviour: zmq_ctx_shutdown makes a zmq_send blocked in another thread (PUSH without peers) return -1 with ETERM */
#include "testutil.h"

static void *sock;
static int send_rc, send_errno;

static void *sender (void *arg)
{
    (void) arg;
    send_rc = zmq_send (sock, "stuck", 5, 0);
    send_errno = zmq_errno ();
    return NULL;
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    sock = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (sock);
    pthread_t t = thread_start (sender, NULL);
    msleep (200);
    CHECK_OK (zmq_ctx_shutdown (ctx));
    pthread_join (t, NULL);
    CHECK_EQ_INT (send_rc, -1);
    CHECK_EQ_INT (send_errno, ETERM);
    CHECK_OK (zmq_close (sock));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
