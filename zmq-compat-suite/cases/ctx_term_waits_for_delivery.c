/* behaviour: with the default infinite LINGER, zmq_ctx_term waits until pending messages are delivered to a peer that appears later */
#include "testutil.h"

static void *ctx;
static volatile int term_done;

static void *terminator (void *arg)
{
    (void) arg;
    CHECK_OK (zmq_ctx_term (ctx));
    __atomic_store_n (&term_done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

int main (void)
{
    test_deadline (20);
    char ep[128];
    ipc_endpoint (ep, sizeof ep, "late-peer");
    ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    set_int (push, ZMQ_RECONNECT_IVL, 50);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "late but delivered", 0);
    CHECK_OK (zmq_close (push));
    pthread_t t = thread_start (terminator, NULL);
    msleep (300);
    if (__atomic_load_n (&term_done, __ATOMIC_SEQ_CST))
        FAIL ("zmq_ctx_term returned with an undelivered message (LINGER -1)");

    /* The peer shows up in a second context; the message gets through and
     * the first context's termination completes. */
    void *ctx2 = zmq_ctx_new ();
    void *pull = zmq_socket (ctx2, ZMQ_PULL);
    CHECK (ctx2 && pull);
    CHECK_OK (zmq_bind (pull, ep));
    recv_str_eq (pull, "late but delivered", 0);
    pthread_join (t, NULL);
    CHECK_OK (zmq_close (pull));
    CHECK_OK (zmq_ctx_term (ctx2));
    unlink (ep + strlen ("ipc://"));
    return 0;
}
