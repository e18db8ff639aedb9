/* ZAP (RFC 27) helpers for the sec_zap_* cases of zmq-compat-suite,
 * written for this project: a handler thread whose replies can be made
 * wrong on purpose, and a server/client pair for each mechanism (NULL with
 * a ZAP domain, PLAIN, CURVE) so one case checks one behaviour across all
 * three. */
#ifndef COMPAT_ZAPUTIL_H
#define COMPAT_ZAPUTIL_H
#include "testutil.h"

enum zap_reply_kind {
    ZAP_GOOD,           /* 200 with User-Id "zap-user" */
    ZAP_BAD_VERSION,    /* version frame "2.0" */
    ZAP_BAD_REQUEST_ID, /* request id not the one asked */
    ZAP_BAD_STATUS,     /* status code "201" */
    ZAP_TOO_FEW_FRAMES, /* no metadata frame: the user id ends the reply */
    ZAP_TOO_MANY_FRAMES /* an extra frame after the metadata */
};

enum zap_mech { MECH_NULL, MECH_PLAIN, MECH_CURVE };

static volatile int zap_kind = ZAP_GOOD;
static volatile int zap_requests;

/* Serves ZAP on the REP socket `arg` (bound at inproc://zeromq.zap.01)
 * until the context terminates; then closes it. */
static void *zap_thread (void *arg)
{
    void *zap = arg;
    for (;;) {
        char f[10][256];
        int len[10], n = 0, more = 1;
        while (more) {
            int r = zmq_recv (zap, f[n < 10 ? n : 9], 256, 0);
            if (r < 0) {
                zmq_close (zap);
                return NULL;
            }
            if (n < 10)
                len[n++] = r < 256 ? r : 256;
            more = get_int (zap, ZMQ_RCVMORE);
        }
        if (n < 6)
            FAIL ("ZAP request of %d frames", n);
        zap_requests++;
        int kind = zap_kind;
        send_str (zap, kind == ZAP_BAD_VERSION ? "2.0" : "1.0", ZMQ_SNDMORE);
        if (kind == ZAP_BAD_REQUEST_ID)
            send_str (zap, "no-such-request", ZMQ_SNDMORE);
        else
            CHECK_EQ_INT (zmq_send (zap, f[1], (size_t) len[1], ZMQ_SNDMORE),
                          len[1]);
        send_str (zap, kind == ZAP_BAD_STATUS ? "201" : "200", ZMQ_SNDMORE);
        send_str (zap, "OK", ZMQ_SNDMORE);
        if (kind == ZAP_TOO_FEW_FRAMES) {
            send_str (zap, "zap-user", 0);
            continue;
        }
        send_str (zap, "zap-user", ZMQ_SNDMORE);
        send_str (zap, "", kind == ZAP_TOO_MANY_FRAMES ? ZMQ_SNDMORE : 0);
        if (kind == ZAP_TOO_MANY_FRAMES)
            send_str (zap, "extra", 0);
    }
}

static const char *mech_name (int m)
{
    return m == MECH_NULL ? "NULL" : m == MECH_PLAIN ? "PLAIN" : "CURVE";
}

static char zap_server_pub[41], zap_server_sec[41];

/* A PULL server for mechanism m, bound to an ephemeral tcp port. */
static void *zap_server (void *ctx, int m, char *ep, size_t eplen)
{
    void *s = zmq_socket (ctx, ZMQ_PULL);
    CHECK (s);
    set_int (s, ZMQ_LINGER, 0);
    if (m == MECH_NULL)
        CHECK_OK (zmq_setsockopt (s, ZMQ_ZAP_DOMAIN, "test", 4));
    else if (m == MECH_PLAIN)
        set_int (s, ZMQ_PLAIN_SERVER, 1);
    else {
        CHECK_OK (zmq_curve_keypair (zap_server_pub, zap_server_sec));
        set_int (s, ZMQ_CURVE_SERVER, 1);
        CHECK_OK (zmq_setsockopt (s, ZMQ_CURVE_SECRETKEY, zap_server_sec, 40));
    }
    bind_tcp_ephemeral (s, ep, eplen);
    return s;
}

/* A PUSH client of mechanism m (after zap_server), connected to ep. */
static void *zap_client (void *ctx, int m, const char *ep)
{
    void *c = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (c);
    set_int (c, ZMQ_LINGER, 0);
    if (m == MECH_PLAIN) {
        CHECK_OK (zmq_setsockopt (c, ZMQ_PLAIN_USERNAME, "user", 4));
        CHECK_OK (zmq_setsockopt (c, ZMQ_PLAIN_PASSWORD, "pass", 4));
    } else if (m == MECH_CURVE) {
        char pub[41], sec[41];
        CHECK_OK (zmq_curve_keypair (pub, sec));
        CHECK_OK (zmq_setsockopt (c, ZMQ_CURVE_SERVERKEY, zap_server_pub, 40));
        CHECK_OK (zmq_setsockopt (c, ZMQ_CURVE_PUBLICKEY, pub, 40));
        CHECK_OK (zmq_setsockopt (c, ZMQ_CURVE_SECRETKEY, sec, 40));
    }
    CHECK_OK (zmq_connect (c, ep));
    return c;
}

/* Starts a monitor of `s` for the handshake events; returns the PAIR. */
static void *zap_monitor (void *ctx, void *s, const char *tag)
{
    char mon_ep[64];
    inproc_endpoint (mon_ep, sizeof mon_ep, tag);
    CHECK_OK (zmq_socket_monitor (s, mon_ep,
                                  ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
                                    | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
                                    | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH
                                    | ZMQ_EVENT_HANDSHAKE_SUCCEEDED));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (mon);
    CHECK_OK (zmq_connect (mon, mon_ep));
    return mon;
}

/* One mechanism, one malformed reply kind: the server's monitor reports
 * HANDSHAKE_FAILED_PROTOCOL with `code`, no message gets through; once the
 * handler answers well again a new client gets through with the handler's
 * User-Id, so the server socket kept working. (Whether the first client's
 * reconnections get through is left open: the reference's NULL clients
 * sometimes stop retrying.) */
static void zap_bad_reply_case (int m, int kind, uint32_t code)
{
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *zap = zmq_socket (ctx, ZMQ_REP);
    CHECK (zap);
    set_int (zap, ZMQ_LINGER, 0);
    CHECK_OK (zmq_bind (zap, "inproc://zeromq.zap.01"));
    zap_kind = kind;
    zap_requests = 0;
    pthread_t t = thread_start (zap_thread, zap);

    char ep[256];
    void *server = zap_server (ctx, m, ep, sizeof ep);
    void *mon = zap_monitor (ctx, server, mech_name (m));
    void *client = zap_client (ctx, m, ep);
    send_str (client, "hello", 0);

    uint32_t value = 0;
    int ev = recv_monitor_event (mon, 3000, &value, NULL, 0);
    if (ev != ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL || value != code)
        FAIL ("%s: event 0x%x value 0x%x, expected HANDSHAKE_FAILED_PROTOCOL "
              "0x%x",
              mech_name (m), ev, value, code);
    set_int (server, ZMQ_RCVTIMEO, 200);
    char buf[16];
    if (zmq_recv (server, buf, sizeof buf, 0) >= 0)
        FAIL ("%s: a message got through a malformed ZAP reply",
              mech_name (m));

    zap_kind = ZAP_GOOD;
    zmq_close (client);
    client = zap_client (ctx, m, ep);
    send_str (client, "hello", 0);
    set_int (server, ZMQ_RCVTIMEO, 5000);
    zmq_msg_t msg;
    CHECK_OK (zmq_msg_init (&msg));
    if (zmq_msg_recv (&msg, server, 0) != 5)
        FAIL ("%s: no message once the handler answered well: errno %d "
              "(%d ZAP requests)",
              mech_name (m), zmq_errno (), zap_requests);
    const char *user = zmq_msg_gets (&msg, "User-Id");
    if (!user || strcmp (user, "zap-user") != 0)
        FAIL ("%s: User-Id is %s", mech_name (m), user ? user : "absent");
    CHECK_OK (zmq_msg_close (&msg));

    zmq_close (client);
    zmq_close (mon);
    zmq_close (server);
    zmq_ctx_term (ctx);
    pthread_join (t, NULL);
}

/* Runs zap_bad_reply_case for NULL, PLAIN and (when built in) CURVE. */
static void zap_bad_reply_all (int kind, uint32_t code)
{
    zap_bad_reply_case (MECH_NULL, kind, code);
    zap_bad_reply_case (MECH_PLAIN, kind, code);
    if (zmq_has ("curve"))
        zap_bad_reply_case (MECH_CURVE, kind, code);
}

#endif
