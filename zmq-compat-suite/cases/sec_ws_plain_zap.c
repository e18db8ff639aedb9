/* behaviour: PLAIN runs over ws (subprotocol ZWS2.0/PLAIN): the server asks the ZAP handler, a client with good credentials gets through with its User-Id, a client with a bad password never does. */
#include "testutil.h"
#include <pthread.h>

static void *zap_handler (void *arg)
{
    void *zap = arg;
    for (;;) {
        char frames[10][256];
        int sizes[10], n = 0, more = 1;
        while (more && n < 10) {
            int r = zmq_recv (zap, frames[n], 255, 0);
            if (r < 0)
                return NULL; /* context terminated */
            sizes[n] = r;
            frames[n][r < 255 ? r : 255] = 0;
            more = get_int (zap, ZMQ_RCVMORE);
            n++;
        }
        /* version, request id, domain, address, identity, mechanism, user, pass */
        int ok = n == 8 && strcmp (frames[5], "PLAIN") == 0
                 && strcmp (frames[6], "admin") == 0
                 && strcmp (frames[7], "secret") == 0;
        zmq_send (zap, "1.0", 3, ZMQ_SNDMORE);
        zmq_send (zap, frames[1], sizes[1], ZMQ_SNDMORE);
        zmq_send (zap, ok ? "200" : "400", 3, ZMQ_SNDMORE);
        zmq_send (zap, ok ? "OK" : "Denied", ok ? 2 : 6, ZMQ_SNDMORE);
        zmq_send (zap, ok ? "the-admin" : "", ok ? 9 : 0, ZMQ_SNDMORE);
        zmq_send (zap, "", 0, 0);
    }
}

static void *client (void *ctx, const char *ep, const char *password)
{
    void *c = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (c);
    CHECK_OK (zmq_setsockopt (c, ZMQ_PLAIN_USERNAME, "admin", 5));
    CHECK_OK (zmq_setsockopt (c, ZMQ_PLAIN_PASSWORD, password, strlen (password)));
    set_int (c, ZMQ_LINGER, 0);
    CHECK_OK (zmq_connect (c, ep));
    return c;
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *zap = zmq_socket (ctx, ZMQ_REP);
    CHECK (zap);
    CHECK_OK (zmq_bind (zap, "inproc://zeromq.zap.01"));
    pthread_t t;
    CHECK (pthread_create (&t, NULL, zap_handler, zap) == 0);

    void *server = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (server);
    set_int (server, ZMQ_PLAIN_SERVER, 1);
    set_int (server, ZMQ_LINGER, 0);
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_bind (server, "ws://127.0.0.1:*/plain"));
    CHECK_OK (zmq_getsockopt (server, ZMQ_LAST_ENDPOINT, ep, &len));

    void *bad = client (ctx, ep, "wrong");
    send_str (bad, "from-bad", 0);
    void *good = client (ctx, ep, "secret");
    send_str (good, "from-good", 0);

    set_int (server, ZMQ_RCVTIMEO, 3000);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    CHECK_EQ_INT (zmq_msg_recv (&m, server, 0), 9);
    CHECK (memcmp (zmq_msg_data (&m), "from-good", 9) == 0);
    const char *user = zmq_msg_gets (&m, "User-Id");
    CHECK (user && strcmp (user, "the-admin") == 0);
    CHECK_OK (zmq_msg_close (&m));
    /* The denied client's message never arrives. */
    set_int (server, ZMQ_RCVTIMEO, 300);
    char buf[32];
    CHECK_ERR (zmq_recv (server, buf, sizeof buf, 0), EAGAIN);

    zmq_close (bad);
    zmq_close (good);
    zmq_close (server);
    set_int (zap, ZMQ_LINGER, 0);
    zmq_ctx_shutdown (ctx);
    pthread_join (t, NULL);
    zmq_close (zap);
    zmq_ctx_term (ctx);
    return 0;
}
