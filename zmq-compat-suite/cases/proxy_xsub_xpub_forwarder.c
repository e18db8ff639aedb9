/* behaviour: zmq_proxy between XSUB and XPUB forwards subscriptions upstream and matching publications downstream */
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
    frontend = zmq_socket (ctx, ZMQ_XSUB);
    backend = zmq_socket (ctx, ZMQ_XPUB);
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (ctx && frontend && backend && pub && sub);
    char fe[256], be[256];
    bind_tcp_ephemeral (pub, fe, sizeof fe);
    CHECK_OK (zmq_connect (frontend, fe));
    bind_tcp_ephemeral (backend, be, sizeof be);
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "news", 4));
    CHECK_OK (zmq_connect (sub, be));
    void *all[] = {frontend, backend, pub, sub};
    for (int i = 0; i < 4; i++)
        set_int (all[i], ZMQ_LINGER, 0);
    pthread_t t = thread_start (run_proxy, NULL);

    /* Publish until the subscription has travelled sub -> XPUB -> XSUB ->
     * pub; unmatched topics must never arrive. */
    zmq_pollitem_t item = {sub, 0, ZMQ_POLLIN, 0};
    long long deadline = now_ms () + 10000;
    int got = 0;
    while (!got) {
        if (now_ms () > deadline)
            FAIL ("no publication came through the proxy in 10 s");
        send_str (pub, "weather: rain", 0);
        send_str (pub, "news: hello", 0);
        if (zmq_poll (&item, 1, 50) > 0)
            got = 1;
    }
    char buf[64];
    for (;;) {
        int n = zmq_recv (sub, buf, sizeof buf - 1, ZMQ_DONTWAIT);
        if (n < 0)
            break;
        buf[n] = 0;
        if (strcmp (buf, "news: hello") != 0)
            FAIL ("unsubscribed message '%s' came through", buf);
        if (zmq_poll (&item, 1, 100) <= 0)
            break;
    }
    CHECK_OK (zmq_ctx_shutdown (ctx));
    pthread_join (t, NULL);
    for (int i = 0; i < 4; i++)
        CHECK_OK (zmq_close (all[i]));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
