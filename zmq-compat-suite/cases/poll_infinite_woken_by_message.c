/* behaviour: zmq_poll with timeout -1 blocks until a message sent from another thread arrives */
#include "testutil.h"

static void *ctx;

static void *sender (void *arg)
{
    (void) arg;
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (s);
    CHECK_OK (zmq_connect (s, "inproc://poll-infinite"));
    msleep (200);
    send_str (s, "late", 0);
    CHECK_OK (zmq_close (s));
    return NULL;
}

int main (void)
{
    test_deadline (20);
    ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    CHECK (ctx && s);
    CHECK_OK (zmq_bind (s, "inproc://poll-infinite"));
    pthread_t t = thread_start (sender, NULL);
    zmq_pollitem_t item = {s, 0, ZMQ_POLLIN, 0};
    long long t0 = now_ms ();
    CHECK_EQ_INT (zmq_poll (&item, 1, -1), 1);
    CHECK_EQ_INT (item.revents, ZMQ_POLLIN);
    CHECK (now_ms () - t0 >= 100);
    recv_str_eq (s, "late", 0);
    pthread_join (t, NULL);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
