/* behaviour: a burst of non-blocking sends through an inproc XPUB/XSUB proxy chain (HWM 10 everywhere) meets EAGAIN between 2 and 4 times the HWM, even while the proxy keeps reading. */
#include "testutil.h"
#include <pthread.h>
#include <string.h>

#define HWM 10
#define BODY 50000

static void *ctx;
static char front[128], back[128];

static void lower_hwm (void *s)
{
    set_int (s, ZMQ_SNDHWM, HWM);
    set_int (s, ZMQ_RCVHWM, HWM);
}

static void *proxy_main (void *ready)
{
    void *xsub = zmq_socket (ctx, ZMQ_XSUB);
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    if (!xsub || !xpub)
        return (void *) 1;
    lower_hwm (xsub);
    set_int (xpub, ZMQ_XPUB_NODROP, 1);
    lower_hwm (xpub);
    if (zmq_bind (xsub, front) || zmq_bind (xpub, back))
        return (void *) 1;
    zmq_atomic_counter_inc (ready);
    zmq_proxy (xsub, xpub, NULL); /* returns with ETERM */
    zmq_close (xsub);
    zmq_close (xpub);
    return NULL;
}

static int received;

static void *subscriber_main (void *arg)
{
    (void) arg;
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    lower_hwm (sub);
    zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0);
    zmq_connect (sub, back);
    int n = 0;
    for (;;) {
        zmq_msg_t m;
        zmq_msg_init (&m);
        if (zmq_msg_recv (&m, sub, 0) < 0) {
            zmq_msg_close (&m);
            break;
        }
        zmq_msg_close (&m);
        n++;
        set_int (sub, ZMQ_RCVTIMEO, 100);
        msleep (20);
    }
    received = n;
    zmq_close (sub);
    return NULL;
}

int main (void)
{
    test_deadline (30);
    ctx = zmq_ctx_new ();
    CHECK (ctx);
    inproc_endpoint (front, sizeof front, "burst-front");
    inproc_endpoint (back, sizeof back, "burst-back");
    void *ready = zmq_atomic_counter_new ();
    pthread_t proxy, subscriber;
    CHECK (pthread_create (&proxy, NULL, proxy_main, ready) == 0);
    while (zmq_atomic_counter_value (ready) == 0)
        msleep (1);
    CHECK (pthread_create (&subscriber, NULL, subscriber_main, NULL) == 0);

    void *pub = zmq_socket (ctx, ZMQ_XPUB);
    CHECK (pub);
    lower_hwm (pub);
    CHECK_OK (zmq_connect (pub, front));
    set_int (pub, ZMQ_XPUB_NODROP, 1);
    char sub_msg[8];
    /* The subscriber's subscription, forwarded by the proxy. */
    CHECK (zmq_recv (pub, sub_msg, sizeof sub_msg, 0) == 1 && sub_msg[0] == 1);

    int sent = 0;
    for (;;) {
        zmq_msg_t m;
        CHECK_OK (zmq_msg_init_size (&m, BODY));
        memset (zmq_msg_data (&m), 'A', BODY);
        if (zmq_msg_send (&m, pub, ZMQ_DONTWAIT) < 0) {
            CHECK (zmq_errno () == EAGAIN);
            zmq_msg_close (&m);
            break;
        }
        sent++;
        CHECK (sent <= 1000);
    }
    if (sent < 2 * HWM || sent > 4 * HWM)
        FAIL ("burst sent %d messages before EAGAIN; expected %d..%d", sent, 2 * HWM, 4 * HWM);

    pthread_join (subscriber, NULL);
    if (received != sent)
        FAIL ("subscriber got %d of %d", received, sent);
    zmq_close (pub);
    zmq_ctx_shutdown (ctx);
    void *res;
    pthread_join (proxy, &res);
    CHECK (res == NULL);
    zmq_ctx_term (ctx);
    zmq_atomic_counter_destroy (&ready);
    return 0;
}
