/* The well-behaved peer of the hostile-peer suite.
 *
 *   client ENDPOINT null|plain|curve SERVER_KEY_Z85|- router|rep
 *
 * Runs on the same libzmq as the server under test (LD_LIBRARY_PATH). At
 * start it connects one DEALER (the "persistent" peer) to ENDPOINT with the
 * given mechanism (PLAIN: admin/secret; CURVE: a fresh client key pair and
 * the server's public key); a REP server gets the empty delimiter frame a
 * REQ would send. Then it obeys one command per stdin line and answers one
 * line on stdout:
 *
 *   rt N        N request/reply round trips on the persistent peer
 *   new N       the same on a new DEALER, closed afterwards (is the listener
 *               still accepting and handshaking?)
 *   hostile EP  connect one more DEALER (NULL) of this process to EP, a
 *               hostile server played by the driver; answers "ok"
 *   quit        exit 0
 *
 * A round trip sends "rt <seq> <padding>" and waits for that exact echo;
 * stale echoes (from a round trip that timed out earlier) are skipped. The
 * answer is "ok N MAX_MS" or "fail I/N WHY" where I round trips succeeded.
 * Each round trip may take up to RT_TIMEOUT_MS (env HOSTILE_RT_TIMEOUT_MS,
 * default 5000): a liveness bound, not a performance one. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

static const char *g_mech, *g_server_key, *g_type;
static int g_timeout_ms = 5000;
static unsigned long g_seq;
static void *g_ctx;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void *make_peer(const char *ep, const char *mech)
{
    void *s = zmq_socket(g_ctx, ZMQ_DEALER);
    int zero = 0;
    if (!s)
        return NULL;
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(s, ZMQ_RCVTIMEO, &g_timeout_ms, sizeof g_timeout_ms);
    zmq_setsockopt(s, ZMQ_SNDTIMEO, &g_timeout_ms, sizeof g_timeout_ms);
    if (strcmp(mech, "plain") == 0) {
        zmq_setsockopt(s, ZMQ_PLAIN_USERNAME, "admin", 5);
        zmq_setsockopt(s, ZMQ_PLAIN_PASSWORD, "secret", 6);
    } else if (strcmp(mech, "curve") == 0) {
        char pub[41], sec[41];
        if (zmq_curve_keypair(pub, sec) != 0
            || zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, g_server_key, 40) != 0
            || zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, pub, 40) != 0
            || zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, sec, 40) != 0) {
            zmq_close(s);
            return NULL;
        }
    }
    if (zmq_connect(s, ep) != 0) {
        zmq_close(s);
        return NULL;
    }
    return s;
}

/* N round trips; prints the answer line. */
static void round_trips(void *s, int n)
{
    int rep = strcmp(g_type, "rep") == 0;
    double worst = 0;
    for (int i = 0; i < n; i++) {
        char req[96], buf[128];
        int len = snprintf(req, sizeof req, "rt %lu %s", ++g_seq,
                           "................................");
        double t0 = now_ms();
        if ((rep && zmq_send(s, "", 0, ZMQ_SNDMORE) < 0)
            || zmq_send(s, req, (size_t) len, 0) < 0) {
            printf("fail %d/%d send: %s\n", i, n, zmq_strerror(zmq_errno()));
            return;
        }
        for (;;) {
            if (rep) {
                int d = zmq_recv(s, buf, sizeof buf, 0);
                if (d < 0)
                    goto timeout;
                if (d != 0)
                    continue; /* not a delimiter: resynchronise */
            }
            int got = zmq_recv(s, buf, sizeof buf, 0);
            if (got < 0)
                goto timeout;
            int more = 0;
            size_t more_sz = sizeof more;
            zmq_getsockopt(s, ZMQ_RCVMORE, &more, &more_sz);
            while (more) { /* unexpected extra frames: drain them */
                zmq_recv(s, buf, sizeof buf, 0);
                zmq_getsockopt(s, ZMQ_RCVMORE, &more, &more_sz);
            }
            if (got == len && memcmp(buf, req, (size_t) len) == 0)
                break;
            /* a stale echo of an earlier, timed-out round trip */
        }
        double dt = now_ms() - t0;
        if (dt > worst)
            worst = dt;
        continue;
    timeout:
        printf("fail %d/%d no echo within %d ms (%s)\n", i, n, g_timeout_ms,
               zmq_strerror(zmq_errno()));
        return;
    }
    printf("ok %d %.1f\n", n, worst);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr,
                "usage: client ENDPOINT null|plain|curve KEY|- router|rep\n");
        return 2;
    }
    const char *ep = argv[1];
    g_mech = argv[2];
    g_server_key = argv[3];
    g_type = argv[4];
    const char *t = getenv("HOSTILE_RT_TIMEOUT_MS");
    if (t && atoi(t) > 0)
        g_timeout_ms = atoi(t);
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    g_ctx = zmq_ctx_new();
    void *main_peer = make_peer(ep, g_mech);
    if (!main_peer) {
        fprintf(stderr, "client: cannot connect %s: %s\n", ep,
                zmq_strerror(zmq_errno()));
        return 2;
    }
    void *extra[64];
    int nextra = 0;
    char line[512];
    while (fgets(line, sizeof line, stdin)) {
        char cmd[16], arg[480];
        arg[0] = 0;
        if (sscanf(line, "%15s %479s", cmd, arg) < 1)
            continue;
        if (strcmp(cmd, "rt") == 0)
            round_trips(main_peer, atoi(arg));
        else if (strcmp(cmd, "new") == 0) {
            void *s = make_peer(ep, g_mech);
            if (!s)
                printf("fail 0/%s connect: %s\n", arg,
                       zmq_strerror(zmq_errno()));
            else {
                round_trips(s, atoi(arg));
                zmq_close(s);
            }
        } else if (strcmp(cmd, "hostile") == 0) {
            void *s = nextra < 64 ? make_peer(arg, "null") : NULL;
            if (s) {
                extra[nextra++] = s;
                printf("ok\n");
            } else
                printf("fail 0/0 connect %s: %s\n", arg,
                       zmq_strerror(zmq_errno()));
        } else if (strcmp(cmd, "quit") == 0)
            break;
        else
            printf("fail 0/0 unknown command %s\n", cmd);
    }
    for (int i = 0; i < nextra; i++)
        zmq_close(extra[i]);
    zmq_close(main_peer);
    zmq_ctx_term(g_ctx);
    return 0;
}
