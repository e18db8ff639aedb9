/* behaviour: zmq_proxy_steerable with a NULL control socket behaves like zmq_proxy: it relays and returns -1/ETERM on shutdown */
#include "testutil.h"

static void *ctx, *frontend, *backend;
static int proxy_rc, proxy_errno;

static void *run_proxy (void *arg)
{
    (void) arg;
    proxy_rc = zmq_proxy_steerable (frontend, backend, NULL, NULL);
    proxy_errno = zmq_errno ();
    return NULL;
}

int main (void)
{
    test_deadline (20);
    ctx = zmq_ctx_new ();
    frontend = zmq_socket (ctx, ZMQ_PULL);
    backend = zmq_socket (ctx, ZMQ_PUSH);
    void *in = zmq_socket (ctx, ZMQ_PUSH);
    void *out = zmq_socket (ctx, ZMQ_PULL);
    CHECK (ctx && frontend && backend && in && out);
    void *all[] = {frontend, backend, in, out};
    for (int i = 0; i < 4; i++)
        set_int (all[i], ZMQ_LINGER, 0);
    CHECK_OK (zmq_bind (frontend, "inproc://steer-null-fe"));
    CHECK_OK (zmq_bind (backend, "inproc://steer-null-be"));
    CHECK_OK (zmq_connect (in, "inproc://steer-null-fe"));
    CHECK_OK (zmq_connect (out, "inproc://steer-null-be"));
    pthread_t t = thread_start (run_proxy, NULL);
    send_str (in, "relayed", 0);
    recv_str_eq (out, "relayed", 0);
    CHECK_OK (zmq_ctx_shutdown (ctx));
    pthread_join (t, NULL);
    CHECK_EQ_INT (proxy_rc, -1);
    CHECK_EQ_INT (proxy_errno, ETERM);
    for (int i = 0; i < 4; i++)
        CHECK_OK (zmq_close (all[i]));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
