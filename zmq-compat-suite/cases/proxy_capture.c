/* behaviour: zmq_proxy's capture socket receives a copy of every frame relayed, in both directions, keeping the multipart structure */
#include "testutil.h"

static void *ctx, *frontend, *backend, *capture;

static void *run_proxy (void *arg)
{
    (void) arg;
    zmq_proxy (frontend, backend, capture);
    return NULL;
}

static void expect_frame (void *s, const char *data, int more)
{
    recv_str_eq (s, data, 0);
    CHECK_EQ_INT (get_int (s, ZMQ_RCVMORE), more);
}

int main (void)
{
    test_deadline (20);
    ctx = zmq_ctx_new ();
    frontend = zmq_socket (ctx, ZMQ_PAIR);
    backend = zmq_socket (ctx, ZMQ_PAIR);
    capture = zmq_socket (ctx, ZMQ_PUSH);
    void *sink = zmq_socket (ctx, ZMQ_PULL);
    void *left = zmq_socket (ctx, ZMQ_PAIR);
    void *right = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && frontend && backend && capture && sink && left && right);
    CHECK_OK (zmq_bind (sink, "inproc://proxy-capture-sink"));
    CHECK_OK (zmq_connect (capture, "inproc://proxy-capture-sink"));
    CHECK_OK (zmq_bind (frontend, "inproc://proxy-capture-fe"));
    CHECK_OK (zmq_bind (backend, "inproc://proxy-capture-be"));
    CHECK_OK (zmq_connect (left, "inproc://proxy-capture-fe"));
    CHECK_OK (zmq_connect (right, "inproc://proxy-capture-be"));
    void *all[] = {frontend, backend, capture, sink, left, right};
    for (int i = 0; i < 6; i++)
        set_int (all[i], ZMQ_LINGER, 0);
    pthread_t t = thread_start (run_proxy, NULL);

    send_str (left, "req-a", ZMQ_SNDMORE);
    send_str (left, "req-b", 0);
    expect_frame (right, "req-a", 1);
    expect_frame (right, "req-b", 0);
    expect_frame (sink, "req-a", 1);
    expect_frame (sink, "req-b", 0);

    send_str (right, "rep", 0);
    expect_frame (left, "rep", 0);
    expect_frame (sink, "rep", 0);

    CHECK_OK (zmq_ctx_shutdown (ctx));
    pthread_join (t, NULL);
    for (int i = 0; i < 6; i++)
        CHECK_OK (zmq_close (all[i]));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
