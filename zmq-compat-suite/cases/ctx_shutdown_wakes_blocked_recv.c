/* behaviour: zmq_ctx_shutdown makes a zmq_recv blocked in another thread return -1 with ETERM, without waiting for sockets to close */
#include "testutil.h"

static void *sock;
static volatile int recv_done;
static int recv_rc, recv_errno;

static void *receiver (void *arg)
{
    (void) arg;
    char buf[8];
    recv_rc = zmq_recv (sock, buf, sizeof buf, 0);
    recv_errno = zmq_errno ();
    __atomic_store_n (&recv_done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    sock = zmq_socket (ctx, ZMQ_REP);
    CHECK (sock);
    char ep[256];
    bind_tcp_ephemeral (sock, ep, sizeof ep);
    pthread_t t = thread_start (receiver, NULL);
    msleep (200);
    CHECK (!__atomic_load_n (&recv_done, __ATOMIC_SEQ_CST));
    /* zmq_ctx_shutdown does not block even though a socket is open. */
    CHECK_OK (zmq_ctx_shutdown (ctx));
    pthread_join (t, NULL);
    CHECK_EQ_INT (recv_rc, -1);
    CHECK_EQ_INT (recv_errno, ETERM);
    CHECK_OK (zmq_close (sock));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
