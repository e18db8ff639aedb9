/* behaviour: PAUSE on the control socket stops zmq_proxy_steerable relaying (messages wait) and RESUME lets them through in order */
#include "testutil.h"
#include <stdint.h>

static void *ctx, *frontend, *backend, *control;

static void *run_proxy (void *arg)
{
    (void) arg;
    zmq_proxy_steerable (frontend, backend, NULL, control);
    return NULL;
}

/* Commands are handled in order; the STATISTICS reply shows that every
 * earlier command has been processed. Zero-length frames before it are
 * acknowledgements that some libzmq versions send for other commands. */
static void sync_with_proxy (void *ctl)
{
    send_str (ctl, "STATISTICS", 0);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    int frames = 0;
    while (frames < 8) {
        CHECK_OK (zmq_msg_recv (&m, ctl, 0));
        if (frames == 0 && zmq_msg_size (&m) == 0 && !zmq_msg_more (&m))
            continue;
        CHECK_EQ_INT (zmq_msg_size (&m), sizeof (uint64_t));
        frames++;
        CHECK_EQ_INT (zmq_msg_more (&m), frames < 8);
    }
    CHECK_OK (zmq_msg_close (&m));
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
    CHECK_OK (zmq_bind (control, "inproc://steer-pause-ctl"));
    CHECK_OK (zmq_connect (ctl, "inproc://steer-pause-ctl"));
    CHECK_OK (zmq_bind (frontend, "inproc://steer-pause-fe"));
    CHECK_OK (zmq_bind (backend, "inproc://steer-pause-be"));
    CHECK_OK (zmq_connect (in, "inproc://steer-pause-fe"));
    CHECK_OK (zmq_connect (out, "inproc://steer-pause-be"));
    pthread_t t = thread_start (run_proxy, NULL);

    send_str (in, "one", 0);
    recv_str_eq (out, "one", 0);

    send_str (ctl, "PAUSE", 0);
    sync_with_proxy (ctl);
    send_str (in, "two", 0);
    send_str (in, "three", 0);
    zmq_pollitem_t item = {out, 0, ZMQ_POLLIN, 0};
    if (zmq_poll (&item, 1, 300) != 0)
        FAIL ("a message was relayed while the proxy was paused");

    send_str (ctl, "RESUME", 0);
    recv_str_eq (out, "two", 0);
    recv_str_eq (out, "three", 0);

    send_str (ctl, "TERMINATE", 0);
    pthread_join (t, NULL);
    void *all[] = {frontend, backend, control, ctl, in, out};
    for (int i = 0; i < 6; i++) {
        set_int (all[i], ZMQ_LINGER, 0);
        CHECK_OK (zmq_close (all[i]));
    }
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
