/* behaviour: zmq_ctx_term blocks while a socket of the context is open and returns once it is closed */
#include "testutil.h"

static void *ctx;
static volatile int term_done;
static int term_rc;

static void *terminator (void *arg)
{
    (void) arg;
    term_rc = zmq_ctx_term (ctx);
    __atomic_store_n (&term_done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

int main (void)
{
    test_deadline (20);
    ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (s);
    pthread_t t = thread_start (terminator, NULL);
    msleep (300);
    if (__atomic_load_n (&term_done, __ATOMIC_SEQ_CST))
        FAIL ("zmq_ctx_term returned while a socket was still open");
    /* The socket is now in the terminating state. */
    CHECK_ERR (zmq_send (s, "x", 1, ZMQ_DONTWAIT), ETERM);
    CHECK_OK (zmq_close (s));
    pthread_join (t, NULL);
    CHECK_EQ_INT (term_rc, 0);
    return 0;
}
