/* behaviour: zmq_ctx_term makes a receive blocked in another thread fail with ETERM, and term completes once that socket is closed. */
#include "testutil.h"
#include <pthread.h>

static void *blocked_recv (void *sock)
{
    char buf[8];
    int rc = zmq_recv (sock, buf, sizeof buf, 0);
    int err = zmq_errno ();
    zmq_close (sock);
    return (void *) (long) (rc == -1 && err == ETERM ? 0 : 1);
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    pthread_t t;
    CHECK (pthread_create (&t, NULL, blocked_recv, pull) == 0);
    msleep (100);
    long long t0 = now_ms ();
    CHECK_OK (zmq_ctx_term (ctx));
    void *res;
    pthread_join (t, &res);
    if (res != NULL)
        FAIL ("blocked recv did not fail with ETERM");
    if (now_ms () - t0 > 3000)
        FAIL ("term took %lld ms", now_ms () - t0);
    return 0;
}
