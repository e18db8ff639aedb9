/* behaviour: zmq_proxy works with one-way sockets: a PULL frontend feeding a PUSH backend passes every message in order */
#include "testutil.h"

static void *ctx, *frontend, *backend;

static void *run_proxy (void *arg)
{
    (void) arg;
    zmq_proxy (frontend, backend, NULL);
    return NULL;
}

int main (void)
{
    test_deadline (20);
    ctx = zmq_ctx_new ();
    frontend = zmq_socket (ctx, ZMQ_PULL);
    backend = zmq_socket (ctx, ZMQ_PUSH);
    void *producer = zmq_socket (ctx, ZMQ_PUSH);
    void *consumer = zmq_socket (ctx, ZMQ_PULL);
    CHECK (ctx && frontend && backend && producer && consumer);
    char fe[256], be[256];
    bind_tcp_ephemeral (frontend, fe, sizeof fe);
    bind_tcp_ephemeral (backend, be, sizeof be);
    CHECK_OK (zmq_connect (producer, fe));
    CHECK_OK (zmq_connect (consumer, be));
    void *all[] = {frontend, backend, producer, consumer};
    for (int i = 0; i < 4; i++)
        set_int (all[i], ZMQ_LINGER, 0);
    pthread_t t = thread_start (run_proxy, NULL);
    for (int i = 0; i < 200; i++) {
        char buf[32];
        snprintf (buf, sizeof buf, "item %d", i);
        send_str (producer, buf, 0);
    }
    for (int i = 0; i < 200; i++) {
        char buf[32];
        snprintf (buf, sizeof buf, "item %d", i);
        recv_str_eq (consumer, buf, 0);
    }
    CHECK_OK (zmq_ctx_shutdown (ctx));
    pthread_join (t, NULL);
    for (int i = 0; i < 4; i++)
        CHECK_OK (zmq_close (all[i]));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
