/* behaviour: zmq_proxy_steerable returns 0 when its control socket receives TERMINATE */
#include "testutil.h"

static void *ctx, *frontend, *backend, *control;
static int proxy_rc = -2;

static void *run_proxy (void *arg)
{
    (void) arg;
    proxy_rc = zmq_proxy_steerable (frontend, backend, NULL, control);
    return NULL;
}

int main (void)
{
    test_deadline (20);
    ctx = zmq_ctx_new ();
    frontend = zmq_socket (ctx, ZMQ_PULL);
    backend = zmq_socket (ctx, ZMQ_PUSH);
    control = zmq_socket (ctx, ZMQ_PAIR);
    void *ctl = zmq_socket (ctx, ZMQ_PAIR);
    void *in = zmq_socket (ctx, ZMQ_PUSH);
    void *out = zmq_socket (ctx, ZMQ_PULL);
    CHECK (ctx && frontend && backend && control && ctl && in && out);
    CHECK_OK (zmq_bind (control, "inproc://steer-term-ctl"));
    CHECK_OK (zmq_connect (ctl, "inproc://steer-term-ctl"));
    CHECK_OK (zmq_bind (frontend, "inproc://steer-term-fe"));
    CHECK_OK (zmq_bind (backend, "inproc://steer-term-be"));
    CHECK_OK (zmq_connect (in, "inproc://steer-term-fe"));
    CHECK_OK (zmq_connect (out, "inproc://steer-term-be"));
    pthread_t t = thread_start (run_proxy, NULL);
    send_str (in, "before", 0);
    recv_str_eq (out, "before", 0);
    send_str (ctl, "TERMINATE", 0);
    pthread_join (t, NULL);
    CHECK_EQ_INT (proxy_rc, 0);
    void *all[] = {frontend, backend, control, ctl, in, out};
    for (int i = 0; i < 6; i++) {
        set_int (all[i], ZMQ_LINGER, 0);
        CHECK_OK (zmq_close (all[i]));
    }
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
