/* Situations a user debugs with MONOCOQUE_LOG: each makes one failure
 * happen, waits for it through the socket monitor (never a sleep), and
 * exits 0. tests/logs/run runs each with MONOCOQUE_LOG=debug and checks the
 * lines on stderr say what happened.
 *
 *   scenarios zap-deny | mechanism-mismatch | handshake-timeout |
 *             curve-bad-key | reconnect | linger | hwm-drop | hwm-refused |
 *             term-open-socket (needs MONOCOQUE_LOG_FILE)
 */
#include <zmq.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHECK(c)                                                          \
    do {                                                                  \
        if (!(c)) {                                                       \
            fprintf(stderr, "scenario: %s:%d: %s failed (errno %d: %s)\n", \
                    __FILE__, __LINE__, #c, zmq_errno(),                  \
                    zmq_strerror(zmq_errno()));                           \
            exit(1);                                                      \
        }                                                                 \
    } while (0)

static void *ctx;

/* A PAIR socket that receives `s`'s monitor events. */
static void *monitor(void *s, const char *name)
{
    char ep[64];
    snprintf(ep, sizeof ep, "inproc://mon-%s", name);
    CHECK(zmq_socket_monitor(s, ep, ZMQ_EVENT_ALL) == 0);
    void *m = zmq_socket(ctx, ZMQ_PAIR);
    int t = 10000; /* a bound, not a timing assertion */
    CHECK(zmq_setsockopt(m, ZMQ_RCVTIMEO, &t, sizeof t) == 0);
    CHECK(zmq_connect(m, ep) == 0);
    return m;
}

/* Waits for event `want`; returns its value. */
static unsigned wait_event(void *m, int want)
{
    for (;;) {
        zmq_msg_t a, b;
        zmq_msg_init(&a);
        zmq_msg_init(&b);
        CHECK(zmq_msg_recv(&a, m, 0) >= 0);
        CHECK(zmq_msg_recv(&b, m, 0) >= 0);
        unsigned short ev;
        unsigned value;
        memcpy(&ev, zmq_msg_data(&a), 2);
        memcpy(&value, (char *)zmq_msg_data(&a) + 2, 4);
        zmq_msg_close(&a);
        zmq_msg_close(&b);
        if (ev == want)
            return value;
    }
}

static void set_int(void *s, int opt, int v)
{
    CHECK(zmq_setsockopt(s, opt, &v, sizeof v) == 0);
}

static const char *bind_any(void *s, char *buf, size_t n)
{
    CHECK(zmq_bind(s, "tcp://127.0.0.1:*") == 0);
    CHECK(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, buf, &n) == 0);
    return buf;
}

static void close_all(void **s, int n)
{
    for (int i = 0; i < n; i++) {
        set_int(s[i], ZMQ_LINGER, 0);
        zmq_close(s[i]);
    }
}

static int zap_deny(void)
{
    void *zap = zmq_socket(ctx, ZMQ_REP);
    CHECK(zmq_bind(zap, "inproc://zeromq.zap.01") == 0);
    void *srv = zmq_socket(ctx, ZMQ_PULL);
    set_int(srv, ZMQ_PLAIN_SERVER, 1);
    char ep[256];
    bind_any(srv, ep, sizeof ep);
    void *mon = monitor(srv, "srv");
    void *cli = zmq_socket(ctx, ZMQ_PUSH);
    CHECK(zmq_setsockopt(cli, ZMQ_PLAIN_USERNAME, "alice", 5) == 0);
    CHECK(zmq_setsockopt(cli, ZMQ_PLAIN_PASSWORD, "wrong", 5) == 0);
    CHECK(zmq_connect(cli, ep) == 0);
    /* The ZAP request: version, id, domain, address, identity, mechanism,
     * username, password. Deny it. */
    zmq_msg_t f[8];
    for (int i = 0; i < 8; i++) {
        zmq_msg_init(&f[i]);
        CHECK(zmq_msg_recv(&f[i], zap, 0) >= 0);
    }
    CHECK(zmq_send(zap, zmq_msg_data(&f[0]), zmq_msg_size(&f[0]), ZMQ_SNDMORE) >= 0);
    CHECK(zmq_send(zap, zmq_msg_data(&f[1]), zmq_msg_size(&f[1]), ZMQ_SNDMORE) >= 0);
    CHECK(zmq_send(zap, "400", 3, ZMQ_SNDMORE) >= 0);
    CHECK(zmq_send(zap, "Invalid password for alice", 26, ZMQ_SNDMORE) >= 0);
    CHECK(zmq_send(zap, "", 0, ZMQ_SNDMORE) >= 0);
    CHECK(zmq_send(zap, "", 0, 0) >= 0);
    for (int i = 0; i < 8; i++)
        zmq_msg_close(&f[i]);
    CHECK(wait_event(mon, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) == 400);
    void *all[] = {cli, srv, mon, zap};
    close_all(all, 4);
    return 0;
}

static int mechanism_mismatch(void)
{
    void *srv = zmq_socket(ctx, ZMQ_PULL);
    set_int(srv, ZMQ_PLAIN_SERVER, 1);
    char ep[256];
    bind_any(srv, ep, sizeof ep);
    void *mon = monitor(srv, "srv");
    void *cli = zmq_socket(ctx, ZMQ_PUSH); /* NULL mechanism */
    CHECK(zmq_connect(cli, ep) == 0);
    CHECK(wait_event(mon, ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) ==
          ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH);
    void *all[] = {cli, srv, mon};
    close_all(all, 3);
    return 0;
}

static int handshake_timeout(void)
{
    void *srv = zmq_socket(ctx, ZMQ_PULL);
    set_int(srv, ZMQ_HANDSHAKE_IVL, 200);
    char ep[256];
    bind_any(srv, ep, sizeof ep);
    void *mon = monitor(srv, "srv");
    /* A peer that connects and says nothing. */
    int port = atoi(strrchr(ep, ':') + 1);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
    wait_event(mon, ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL);
    close(fd);
    void *all[] = {srv, mon};
    close_all(all, 2);
    return 0;
}

static int curve_bad_key(void)
{
    if (!zmq_has("curve"))
        return 0;
    char spub[41], ssec[41], cpub[41], csec[41], other[41], osec[41];
    CHECK(zmq_curve_keypair(spub, ssec) == 0);
    CHECK(zmq_curve_keypair(cpub, csec) == 0);
    CHECK(zmq_curve_keypair(other, osec) == 0);
    void *srv = zmq_socket(ctx, ZMQ_PULL);
    set_int(srv, ZMQ_CURVE_SERVER, 1);
    CHECK(zmq_setsockopt(srv, ZMQ_CURVE_SECRETKEY, ssec, 40) == 0);
    char ep[256];
    bind_any(srv, ep, sizeof ep);
    void *mon = monitor(srv, "srv");
    void *cli = zmq_socket(ctx, ZMQ_PUSH);
    CHECK(zmq_setsockopt(cli, ZMQ_CURVE_SERVERKEY, other, 40) == 0); /* wrong */
    CHECK(zmq_setsockopt(cli, ZMQ_CURVE_PUBLICKEY, cpub, 40) == 0);
    CHECK(zmq_setsockopt(cli, ZMQ_CURVE_SECRETKEY, csec, 40) == 0);
    CHECK(zmq_connect(cli, ep) == 0);
    CHECK(wait_event(mon, ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) ==
          ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC);
    void *all[] = {cli, srv, mon};
    close_all(all, 3);
    return 0;
}

static int reconnect(void)
{
    /* A port nobody listens on: bind, read the port, unbind. */
    void *tmp = zmq_socket(ctx, ZMQ_PULL);
    char ep[256];
    bind_any(tmp, ep, sizeof ep);
    void *tmpmon = monitor(tmp, "tmp");
    CHECK(zmq_unbind(tmp, ep) == 0);
    wait_event(tmpmon, ZMQ_EVENT_CLOSED);
    void *cli = zmq_socket(ctx, ZMQ_PUSH);
    set_int(cli, ZMQ_RECONNECT_IVL, 10);
    set_int(cli, ZMQ_RECONNECT_IVL_MAX, 40);
    void *mon = monitor(cli, "cli");
    CHECK(zmq_connect(cli, ep) == 0);
    for (int i = 0; i < 4; i++)
        wait_event(mon, ZMQ_EVENT_CONNECT_RETRIED);
    void *all[] = {cli, mon, tmp, tmpmon};
    close_all(all, 4);
    return 0;
}

static int linger(void)
{
    /* A message queued for a peer that never comes: close with a linger,
     * then zmq_ctx_term waits for it. */
    void *tmp = zmq_socket(ctx, ZMQ_PULL);
    char ep[256];
    bind_any(tmp, ep, sizeof ep);
    void *tmpmon = monitor(tmp, "tmp");
    CHECK(zmq_unbind(tmp, ep) == 0);
    wait_event(tmpmon, ZMQ_EVENT_CLOSED);
    void *t[] = {tmp, tmpmon};
    close_all(t, 2);
    void *cli = zmq_socket(ctx, ZMQ_PUSH);
    set_int(cli, ZMQ_RECONNECT_IVL, 20);
    CHECK(zmq_connect(cli, ep) == 0);
    CHECK(zmq_send(cli, "hello", 5, 0) == 5);
    set_int(cli, ZMQ_LINGER, 100);
    CHECK(zmq_close(cli) == 0);
    return 0; /* main terminates the context */
}

static int hwm_drop(void)
{
    void *pub = zmq_socket(ctx, ZMQ_XPUB);
    set_int(pub, ZMQ_SNDHWM, 1);
    CHECK(zmq_bind(pub, "inproc://hwm") == 0);
    void *sub = zmq_socket(ctx, ZMQ_SUB);
    set_int(sub, ZMQ_RCVHWM, 1);
    CHECK(zmq_connect(sub, "inproc://hwm") == 0);
    CHECK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0) == 0);
    char sub_msg[8];
    CHECK(zmq_recv(pub, sub_msg, sizeof sub_msg, 0) == 1); /* the subscription */
    for (int i = 0; i < 10; i++)
        CHECK(zmq_send(pub, "tick", 4, 0) == 4); /* PUB never blocks: drops */
    void *all[] = {sub, pub};
    close_all(all, 2);
    return 0;
}

static int hwm_refused(void)
{
    void *push = zmq_socket(ctx, ZMQ_PUSH);
    CHECK(zmq_bind(push, "inproc://nobody") == 0);
    CHECK(zmq_send(push, "x", 1, ZMQ_DONTWAIT) == -1 && zmq_errno() == EAGAIN);
    void *all[] = {push};
    close_all(all, 1);
    return 0;
}

/* zmq_ctx_term names the socket the application forgot to close. The
 * socket is closed by a thread once the line is in the log file. */
static void *open_socket;

static void *closer(void *arg)
{
    (void)arg;
    char buf[8];
    CHECK(zmq_recv(open_socket, buf, sizeof buf, 0) == -1 && zmq_errno() == ETERM);
    const char *path = getenv("MONOCOQUE_LOG_FILE");
    CHECK(path);
    for (int i = 0; i < 1000; i++) { /* at most ~10 s */
        FILE *f = fopen(path, "r");
        char line[4096];
        int seen = 0;
        while (f && fgets(line, sizeof line, f))
            if (strstr(line, "zmq_ctx_term waits for 1 socket"))
                seen = 1;
        if (f)
            fclose(f);
        if (seen)
            break;
        usleep(10000);
    }
    zmq_close(open_socket);
    return NULL;
}

static int term_open_socket(void)
{
    open_socket = zmq_socket(ctx, ZMQ_PULL);
    CHECK(zmq_bind(open_socket, "tcp://127.0.0.1:*") == 0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, closer, NULL) == 0);
    CHECK(zmq_ctx_term(ctx) == 0);
    pthread_join(t, NULL);
    ctx = NULL;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s SCENARIO\n", argv[0]);
        return 2;
    }
    ctx = zmq_ctx_new();
    CHECK(ctx);
    const char *s = argv[1];
    int r;
    if (!strcmp(s, "zap-deny"))
        r = zap_deny();
    else if (!strcmp(s, "mechanism-mismatch"))
        r = mechanism_mismatch();
    else if (!strcmp(s, "handshake-timeout"))
        r = handshake_timeout();
    else if (!strcmp(s, "curve-bad-key"))
        r = curve_bad_key();
    else if (!strcmp(s, "reconnect"))
        r = reconnect();
    else if (!strcmp(s, "linger"))
        r = linger();
    else if (!strcmp(s, "hwm-drop"))
        r = hwm_drop();
    else if (!strcmp(s, "hwm-refused"))
        r = hwm_refused();
    else if (!strcmp(s, "term-open-socket"))
        r = term_open_socket();
    else {
        fprintf(stderr, "unknown scenario %s\n", s);
        return 2;
    }
    if (ctx)
        CHECK(zmq_ctx_term(ctx) == 0);
    return r;
}
