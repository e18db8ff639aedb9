/* behaviour: zmq_proxy between a ROUTER frontend and DEALER backend relays REQ requests to a REP worker and replies back; it returns -1/ETERM on context shutdown */
#include "testutil.h"

static void *ctx, *frontend, *backend;
static int proxy_rc, proxy_errno;

static void *run_proxy (void *arg)
{
    (void) arg;
    proxy_rc = zmq_proxy (frontend, backend, NULL);
    proxy_errno = zmq_errno ();
    return NULL;
}

int main (void)
{
    test_deadline (20);
    ctx = zmq_ctx_new ();
    frontend = zmq_socket (ctx, ZMQ_ROUTER);
    backend = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && frontend && backend);
    char fe[256], be[256];
    bind_tcp_ephemeral (frontend, fe, sizeof fe);
    bind_tcp_ephemeral (backend, be, sizeof be);
    pthread_t t = thread_start (run_proxy, NULL);

    void *worker = zmq_socket (ctx, ZMQ_REP);
    void *client = zmq_socket (ctx, ZMQ_REQ);
    CHECK (worker && client);
    CHECK_OK (zmq_connect (worker, be));
    CHECK_OK (zmq_connect (client, fe));
    for (int i = 0; i < 5; i++) {
        char req[32], rep[32];
        snprintf (req, sizeof req, "request %d", i);
        snprintf (rep, sizeof rep, "reply %d", i);
        send_str (client, req, 0);
        recv_str_eq (worker, req, 0);
        send_str (worker, rep, 0);
        recv_str_eq (client, rep, 0);
    }
    CHECK_OK (zmq_ctx_shutdown (ctx));
    pthread_join (t, NULL);
    CHECK_EQ_INT (proxy_rc, -1);
    CHECK_EQ_INT (proxy_errno, ETERM);
    CHECK_OK (zmq_close (worker));
    CHECK_OK (zmq_close (client));
    CHECK_OK (zmq_close (frontend));
    CHECK_OK (zmq_close (backend));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
