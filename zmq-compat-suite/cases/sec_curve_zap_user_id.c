/* behaviour: a CURVE server asks the ZAP handler with mechanism "CURVE" and the client's 32-byte long-term public key as the only credential; the User-Id of a 200 reply is on every message from that client (zmq_msg_gets), and a client without CURVE keys never gets through. */
#include "testutil.h"

static char g_client_pub[41];
static volatile int g_requests;

static void *zap_handler (void *zap)
{
    uint8_t allowed[32];
    zmq_z85_decode (allowed, g_client_pub);
    for (;;) {
        char f[10][64];
        int len[10], n = 0, more = 1;
        while (more) {
            int r = zmq_recv (zap, f[n < 10 ? n : 9], 64, 0);
            if (r < 0) {
                zmq_close (zap); /* context terminated */
                return NULL;
            }
            if (n < 10)
                len[n++] = r;
            more = get_int (zap, ZMQ_RCVMORE);
        }
        /* REP strips the delimiter: version, id, domain, address,
         * identity, mechanism, key. */
        if (n != 7 || len[5] != 5 || memcmp (f[5], "CURVE", 5) != 0
            || len[6] != 32)
            FAIL ("unexpected ZAP request: %d frames", n);
        int ok = memcmp (f[6], allowed, 32) == 0;
        g_requests++;
        send_str (zap, "1.0", ZMQ_SNDMORE);
        CHECK_EQ_INT (zmq_send (zap, f[1], (size_t) len[1], ZMQ_SNDMORE),
                      len[1]);
        send_str (zap, ok ? "200" : "400", ZMQ_SNDMORE);
        send_str (zap, ok ? "OK" : "No", ZMQ_SNDMORE);
        send_str (zap, ok ? "the-curve-user" : "", ZMQ_SNDMORE);
        send_str (zap, "", 0);
    }
}

int main (void)
{
    test_deadline (20);
    if (!zmq_has ("curve"))
        return SKIP_EXIT;
    char spub[41], ssec[41], csec[41];
    CHECK_OK (zmq_curve_keypair (spub, ssec));
    CHECK_OK (zmq_curve_keypair (g_client_pub, csec));
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *zap = zmq_socket (ctx, ZMQ_REP);
    CHECK (zap);
    set_int (zap, ZMQ_LINGER, 0);
    CHECK_OK (zmq_bind (zap, "inproc://zeromq.zap.01"));
    pthread_t t = thread_start (zap_handler, zap);

    void *server = zmq_socket (ctx, ZMQ_PULL);
    CHECK (server);
    set_int (server, ZMQ_CURVE_SERVER, 1);
    CHECK_OK (zmq_setsockopt (server, ZMQ_CURVE_SECRETKEY, ssec, 40));
    set_int (server, ZMQ_LINGER, 0);
    char ep[256];
    bind_tcp_ephemeral (server, ep, sizeof ep);

    /* A NULL client: the mechanisms differ, nothing arrives. */
    void *plain = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (plain);
    set_int (plain, ZMQ_LINGER, 0);
    CHECK_OK (zmq_connect (plain, ep));
    zmq_send (plain, "null", 4, ZMQ_DONTWAIT);

    void *client = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (client);
    CHECK_OK (zmq_setsockopt (client, ZMQ_CURVE_SERVERKEY, spub, 40));
    CHECK_OK (zmq_setsockopt (client, ZMQ_CURVE_PUBLICKEY, g_client_pub, 40));
    CHECK_OK (zmq_setsockopt (client, ZMQ_CURVE_SECRETKEY, csec, 40));
    set_int (client, ZMQ_LINGER, 0);
    CHECK_OK (zmq_connect (client, ep));
    send_str (client, "one", ZMQ_SNDMORE);
    send_str (client, "two", 0);

    set_int (server, ZMQ_RCVTIMEO, 3000);
    for (int i = 0; i < 2; i++) {
        zmq_msg_t m;
        CHECK_OK (zmq_msg_init (&m));
        CHECK (zmq_msg_recv (&m, server, 0) == 3);
        CHECK (memcmp (zmq_msg_data (&m), i ? "two" : "one", 3) == 0);
        CHECK_EQ_INT (zmq_msg_more (&m), !i);
        const char *user = zmq_msg_gets (&m, "User-Id");
        CHECK (user && strcmp (user, "the-curve-user") == 0);
        CHECK_OK (zmq_msg_close (&m));
    }
    set_int (server, ZMQ_RCVTIMEO, 300);
    char buf[16];
    CHECK_ERR (zmq_recv (server, buf, sizeof buf, 0), EAGAIN);
    CHECK (g_requests >= 1);

    zmq_close (client);
    zmq_close (plain);
    zmq_close (server);
    zmq_ctx_term (ctx);
    pthread_join (t, NULL);
    return 0;
}
