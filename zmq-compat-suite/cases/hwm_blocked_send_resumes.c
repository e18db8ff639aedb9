/* behaviour: a send blocked at the high-water mark completes once the receiver drains the queue. */
#include "testutil.h"
#include <pthread.h>

static void *reader (void *arg)
{
    msleep (200);
    char buf[8];
    for (int i = 0; i < 3; i++)
        if (zmq_recv (arg, buf, sizeof buf, 0) < 0)
            return (void *) 1;
    return NULL;
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    char ep[128];
    inproc_endpoint (ep, sizeof ep, "resume");
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (push && pull);
    set_int (push, ZMQ_SNDHWM, 1);
    set_int (pull, ZMQ_RCVHWM, 1);
    CHECK_OK (zmq_bind (pull, ep));
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "1", ZMQ_DONTWAIT);
    send_str (push, "2", ZMQ_DONTWAIT);
    CHECK_ERR (zmq_send (push, "3", 1, ZMQ_DONTWAIT), EAGAIN);
    pthread_t t;
    CHECK (pthread_create (&t, NULL, reader, pull) == 0);
    long long t0 = now_ms ();
    send_str (push, "3", 0); /* blocks until the reader starts */
    long long dt = now_ms () - t0;
    void *res;
    pthread_join (t, &res);
    CHECK (res == NULL);
    if (dt < 100)
        FAIL ("send returned after %lld ms: it did not block", dt);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
