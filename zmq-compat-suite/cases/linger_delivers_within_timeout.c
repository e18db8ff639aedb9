/* behaviour: a closed socket with a positive LINGER still delivers its queued messages if a peer turns up within the period, and term then returns early. */
#include "wireutil.h"
#include <pthread.h>

static volatile long long term_ms = -1;

static void *term_thread (void *ctx)
{
    long long t0 = now_ms ();
    zmq_ctx_term (ctx);
    term_ms = now_ms () - t0;
    return NULL;
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *ctx2 = zmq_ctx_new ();
    CHECK (ctx && ctx2);
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", wu_free_port ());
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    set_int (push, ZMQ_LINGER, 8000);
    set_int (push, ZMQ_RECONNECT_IVL, 50);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "late-but-safe", 0);
    CHECK_OK (zmq_close (push));
    pthread_t t;
    CHECK (pthread_create (&t, NULL, term_thread, ctx) == 0);
    msleep (200);

    void *pull = zmq_socket (ctx2, ZMQ_PULL);
    CHECK (pull);
    if (zmq_bind (pull, ep) != 0) {
        fprintf (stderr, "port taken by another process\n");
        exit (SKIP_EXIT);
    }
    if (!poll_in_ms (pull, 5000))
        FAIL ("message not delivered within the linger period");
    recv_str_eq (pull, "late-but-safe", 0);
    pthread_join (t, NULL);
    if (term_ms >= 8000)
        FAIL ("term waited the whole linger period (%lld ms)", term_ms);
    zmq_close (pull);
    zmq_ctx_term (ctx2);
    return 0;
}
