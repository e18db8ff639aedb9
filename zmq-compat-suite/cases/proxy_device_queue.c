/* behaviour: deprecated zmq_device(ZMQ_QUEUE, frontend, backend) relays like zmq_proxy and returns -1/ETERM on shutdown */
#include "testutil.h"

static void *ctx, *frontend, *backend;
static int dev_rc, dev_errno;

static void *run_device (void *arg)
{
    (void) arg;
    dev_rc = zmq_device (ZMQ_QUEUE, frontend, backend);
    dev_errno = zmq_errno ();
    return NULL;
}

int main (void)
{
    test_deadline (20);
    CHECK_EQ_INT (ZMQ_STREAMER, 1);
    CHECK_EQ_INT (ZMQ_FORWARDER, 2);
    CHECK_EQ_INT (ZMQ_QUEUE, 3);
    ctx = zmq_ctx_new ();
    frontend = zmq_socket (ctx, ZMQ_ROUTER);
    backend = zmq_socket (ctx, ZMQ_DEALER);
    void *client = zmq_socket (ctx, ZMQ_REQ);
    void *worker = zmq_socket (ctx, ZMQ_REP);
    CHECK (ctx && frontend && backend && client && worker);
    CHECK_OK (zmq_bind (frontend, "inproc://device-fe"));
    CHECK_OK (zmq_bind (backend, "inproc://device-be"));
    CHECK_OK (zmq_connect (client, "inproc://device-fe"));
    CHECK_OK (zmq_connect (worker, "inproc://device-be"));
    pthread_t t = thread_start (run_device, NULL);
    send_str (client, "ping", 0);
    recv_str_eq (worker, "ping", 0);
    send_str (worker, "pong", 0);
    recv_str_eq (client, "pong", 0);
    CHECK_OK (zmq_ctx_shutdown (ctx));
    pthread_join (t, NULL);
    CHECK_EQ_INT (dev_rc, -1);
    CHECK_EQ_INT (dev_errno, ETERM);
    void *all[] = {frontend, backend, client, worker};
    for (int i = 0; i < 4; i++)
        CHECK_OK (zmq_close (all[i]));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
