/* behaviour: the draft wss:// transport: zmq_has("WSS"), the ZMQ_WSS_* options (set only; TRUST_SYSTEM a strict bool), REQ/REP round trips over TLS (small bodies and bodies of many records, up to 3 MB) with a self-signed certificate the client trusts and names by its common name, the bound endpoint as wss://host:port/path and the connected one as ws://host:port/path (libzmq 4.3.5's spelling), and no delivery when the client checks another name, trusts nothing or speaks plain ws:// */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON -DWITH_TLS=ON
 * (GnuTLS 3.7.9; all checks pass) and skipped on Debian's stable libzmq
 * 4.3.4 (no draft API, no WSS). The certificate and key below were made for
 * this case with `openssl req -x509 -newkey ec -pkeyopt
 * ec_paramgen_curve:prime256v1 -nodes -days 36500 -subj /CN=monocoque.test`:
 * self-signed, marked as a CA (OpenSSL's default), no subjectAltName, so
 * the client's name check falls back to the common name, as GnuTLS's does.
 */
#include "draftutil.h"

static const char cert[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBiDCCAS+gAwIBAgIUYHMf27Lhe/0SbGJGUQWy3dIFs8YwCgYIKoZIzj0EAwIw\n"
    "GTEXMBUGA1UEAwwObW9ub2NvcXVlLnRlc3QwIBcNMjYxMjA1MTMzNzQ2WhgPMjEy\n"
    "NjExMTExMzM3NDZaMBkxFzAVBgNVBAMMDm1vbm9jb3F1ZS50ZXN0MFkwEwYHKoZI\n"
    "zj0CAQYIKoZIzj0DAQcDQgAEus5m2pKgm+XB3pfIcAJBsRF9e5oxNFdgOz9nIuGa\n"
    "lkig5W6LrJHsjOr85Sn771aKKqCz8QQxSTwx+QxguKMwIaNTMFEwHQYDVR0OBBYE\n"
    "FPVeEWBCC+wWjAACe9xsfbUA09d6MB8GA1UdIwQYMBaAFPVeEWBCC+wWjAACe9xs\n"
    "fbUA09d6MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgBaTlgSIg\n"
    "fBknc1PNly5U2ggj8mfjEQgU5R9/+JDn9ikCIDl6oOTsN3pyROL8WH8ETr+HZGo9\n"
    "/RkA32A4jTjOOXbG\n"
    "-----END CERTIFICATE-----\n";

static const char key[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg7eOiHo9nXkFueTRi\n"
    "ZN4IYV1pBAiyYOC9LyZ0QgjZh/qhRANCAAS6zmbakqCb5cHel8hwAkGxEX17mjE0\n"
    "V2A7P2ci4ZqWSKDlbouskeyM6vzlKfvvVooqoLPxBDFJPDH5DGC4ozAh\n"
    "-----END PRIVATE KEY-----\n";

/* A REP server on wss://127.0.0.1:*<path>: its endpoint in `ep`. */
static void *wss_server (void *ctx, char *ep, size_t len, const char *path)
{
    void *s = zmq_socket (ctx, ZMQ_REP);
    CHECK_OK (zmq_setsockopt (s, ZMQ_WSS_CERT_PEM, cert, strlen (cert)));
    CHECK_OK (zmq_setsockopt (s, ZMQ_WSS_KEY_PEM, key, strlen (key)));
    char uri[64];
    snprintf (uri, sizeof uri, "wss://127.0.0.1:*%s", path);
    CHECK_OK (zmq_bind (s, uri));
    size_t l = len;
    CHECK_OK (zmq_getsockopt (s, ZMQ_LAST_ENDPOINT, ep, &l));
    CHECK (strncmp (ep, "wss://127.0.0.1:", 16) == 0);
    CHECK (strcmp (ep + strlen (ep) - strlen (path), path) == 0);
    return s;
}

/* A REQ client of `ep` trusting `trust` (NULL: nothing) and checking
 * `name` (NULL: no name). */
static void *wss_client (void *ctx, const char *ep, const char *trust,
                         const char *name)
{
    void *c = zmq_socket (ctx, ZMQ_REQ);
    if (trust)
        CHECK_OK (zmq_setsockopt (c, ZMQ_WSS_TRUST_PEM, trust, strlen (trust)));
    if (name)
        CHECK_OK (zmq_setsockopt (c, ZMQ_WSS_HOSTNAME, name, strlen (name)));
    set_int (c, ZMQ_LINGER, 0);
    CHECK_OK (zmq_connect (c, ep));
    return c;
}

int main (void)
{
    test_deadline (30);
    require_draft ();
    if (!zmq_has ("WSS")) {
        printf ("SKIP: this draft libzmq has no wss:// (zmq_has(\"WSS\") is 0)\n");
        return SKIP_EXIT;
    }
    void *ctx = zmq_ctx_new ();

    /* The options: taken, never read back; TRUST_SYSTEM is 0 or 1. */
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    int wss_opts[] = {ZMQ_WSS_KEY_PEM, ZMQ_WSS_CERT_PEM, ZMQ_WSS_TRUST_PEM,
                      ZMQ_WSS_HOSTNAME};
    for (int i = 0; i < 4; i++) {
        CHECK_OK (zmq_setsockopt (s, wss_opts[i], "x", 1));
        char buf[16];
        size_t len = sizeof buf;
        CHECK_ERR (zmq_getsockopt (s, wss_opts[i], buf, &len), EINVAL);
    }
    set_int (s, ZMQ_WSS_TRUST_SYSTEM, 1);
    set_int (s, ZMQ_WSS_TRUST_SYSTEM, 0);
    int two = 2;
    CHECK_ERR (zmq_setsockopt (s, ZMQ_WSS_TRUST_SYSTEM, &two, sizeof two),
               EINVAL);
    CHECK_ERR (zmq_setsockopt (s, ZMQ_WSS_TRUST_SYSTEM, "ab", 2), EINVAL);
    int v;
    size_t len = sizeof v;
    CHECK_ERR (zmq_getsockopt (s, ZMQ_WSS_TRUST_SYSTEM, &v, &len), EINVAL);
    zmq_close (s);

    /* A round trip: the client trusts the server's own certificate and
     * checks the name it carries (as its common name). The client appends
     * the path once more, as libzmq's own test does: the port ends at the
     * first '/', the path is what follows the last. */
    char ep[256], cep[300];
    void *server = wss_server (ctx, ep, sizeof ep, "/roundtrip");
    set_int (server, ZMQ_RCVTIMEO, 5000);
    snprintf (cep, sizeof cep, "%s/roundtrip", ep);
    void *client = wss_client (ctx, cep, cert, "monocoque.test");
    set_int (client, ZMQ_RCVTIMEO, 5000);
    send_str (client, "hello", 0);
    recv_str_eq (server, "hello", 0);
    send_str (server, "world", 0);
    recv_str_eq (client, "world", 0);

    /* Bodies of many TLS records each way (a record carries 16 KiB): a
     * large one is read straight into a buffer of its own. */
    size_t sizes[] = {16385, 200000, 3000000};
    for (int i = 0; i < 3; i++) {
        size_t n = sizes[i];
        unsigned char *big = malloc (n);
        CHECK (big != NULL);
        for (size_t j = 0; j < n; j++)
            big[j] = (unsigned char) (j * 7 + i);
        send_bytes (client, big, n, 0);
        recv_frame_bytes_eq (server, big, n, 0);
        send_bytes (server, big, n, 0);
        recv_frame_bytes_eq (client, big, n, 0);
        free (big);
    }
    /* libzmq 4.3.5 prints the connected endpoint as ws://, the path once. */
    char got[300];
    len = sizeof got;
    CHECK_OK (zmq_getsockopt (client, ZMQ_LAST_ENDPOINT, got, &len));
    CHECK (strncmp (got, "ws://", 5) == 0 && strcmp (got + 5, ep + 6) == 0);
    zmq_close (client);

    /* Another name, or nothing trusted: the TLS handshake fails (the
     * client's monitor says so with no detail, as for a connection
     * error), nothing is delivered. */
    void *wrong = zmq_socket (ctx, ZMQ_REQ);
    CHECK_OK (zmq_setsockopt (wrong, ZMQ_WSS_TRUST_PEM, cert, strlen (cert)));
    CHECK_OK (zmq_setsockopt (wrong, ZMQ_WSS_HOSTNAME, "other.test", 10));
    set_int (wrong, ZMQ_LINGER, 0);
    CHECK_OK (zmq_socket_monitor (wrong, "inproc://wss-wrong-mon",
                                  ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
                                    | ZMQ_EVENT_HANDSHAKE_SUCCEEDED));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK_OK (zmq_connect (mon, "inproc://wss-wrong-mon"));
    CHECK_OK (zmq_connect (wrong, ep));
    expect_monitor_event (mon, ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, 5000,
                          NULL, 0);
    send_str (wrong, "not for you", 0);
    void *blind = wss_client (ctx, ep, NULL, "monocoque.test");
    send_str (blind, "nor for you", 0);
    expect_silence (server, 1500);
    zmq_close (wrong);
    zmq_close (blind);
    zmq_close (mon);

    /* A client that speaks plain ws:// to it is refused the same way. */
    char plain[300];
    snprintf (plain, sizeof plain, "ws://%s", ep + 6);
    void *clear = wss_client (ctx, plain, NULL, NULL);
    send_str (clear, "in the clear", 0);
    expect_silence (server, 1000);
    zmq_close (clear);

    /* The server still serves a client that trusts it. */
    client = wss_client (ctx, ep, cert, "monocoque.test");
    send_str (client, "again", 0);
    recv_str_eq (server, "again", 0);
    zmq_close (client);

    set_int (server, ZMQ_LINGER, 0);
    zmq_close (server);
    zmq_ctx_term (ctx);
    printf ("ok\n");
    return 0;
}
