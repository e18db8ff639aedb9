/* behaviour: zmq_poll on a socket whose context was shut down fails with ETERM, also when woken from a blocking poll */
#include "testutil.h"

static void *ctx;

static void *shutter (void *arg)
{
    (void) arg;
    msleep (200);
    CHECK_OK (zmq_ctx_shutdown (ctx));
    return NULL;
}

int main (void)
{
    test_deadline (20);
    ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    CHECK (ctx && s);
    CHECK_OK (zmq_bind (s, "inproc://poll-eterm"));
    pthread_t t = thread_start (shutter, NULL);
    zmq_pollitem_t item = {s, 0, ZMQ_POLLIN, 0};
    CHECK_ERR (zmq_poll (&item, 1, -1), ETERM);
    pthread_join (t, NULL);
    CHECK_ERR (zmq_poll (&item, 1, 0), ETERM);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
