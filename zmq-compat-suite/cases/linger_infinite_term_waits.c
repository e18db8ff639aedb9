/* behaviour: with LINGER -1 (the default) zmq_ctx_term waits until queued messages of a closed socket are delivered, even to a peer that appears later. */
#include "wireutil.h"
#include <pthread.h>

static volatile int term_done = 0;

static void *term_thread (void *ctx)
{
    zmq_ctx_term (ctx);
    term_done = 1;
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
    CHECK_EQ_INT (get_int (push, ZMQ_LINGER), -1);
    set_int (push, ZMQ_RECONNECT_IVL, 50);
    CHECK_OK (zmq_connect (push, ep));
    for (int i = 0; i < 5; i++) {
        char buf[8];
        snprintf (buf, sizeof buf, "m%d", i);
        send_str (push, buf, 0);
    }
    CHECK_OK (zmq_close (push));
    pthread_t t;
    CHECK (pthread_create (&t, NULL, term_thread, ctx) == 0);
    msleep (400);
    if (term_done)
        FAIL ("zmq_ctx_term returned with undelivered messages");

    void *pull = zmq_socket (ctx2, ZMQ_PULL);
    CHECK (pull);
    if (zmq_bind (pull, ep) != 0) {
        fprintf (stderr, "port taken by another process\n");
        exit (SKIP_EXIT);
    }
    for (int i = 0; i < 5; i++) {
        char want[8];
        snprintf (want, sizeof want, "m%d", i);
        if (!poll_in_ms (pull, 5000))
            FAIL ("message %d not delivered", i);
        recv_str_eq (pull, want, 0);
    }
    pthread_join (t, NULL);
    CHECK (term_done);
    zmq_close (pull);
    zmq_ctx_term (ctx2);
    return 0;
}
