/* The target of the hostile-peer suite: one bound socket that echoes.
 *
 *   server [--type router|rep] [--mech null|plain|curve] [--tr tcp|ws]
 *          [--handshake-ivl MS] [--maxmsgsize N] [--nofile N]
 *
 * Compiled against the system zmq.h; which libzmq.so.5 it runs on is chosen
 * only by LD_LIBRARY_PATH (hostile/run sets it). It binds tcp://127.0.0.1:0
 * or ws://127.0.0.1:0/hostile and prints one line on stdout:
 *
 *   ready ENDPOINT SERVER_PUBLIC_KEY_Z85|- SERVER_PUBLIC_KEY_HEX|-
 *
 * then echoes every message it receives (all frames, routing id included on
 * a ROUTER), except a last frame "STATS", answered "rss_kib=N fds=M" (its own
 * /proc/self numbers). Sends never block (ZMQ_DONTWAIT): a peer that does not
 * read loses its echoes, the others are still served.
 *
 * Security: PLAIN and CURVE run as servers with a ZAP handler on
 * inproc://zeromq.zap.01 in a second thread: PLAIN accepts only user
 * "admin" / password "secret"; CURVE accepts any client key (so that a
 * hostile peer with valid crypto reaches the metadata parser). The CURVE
 * key pair is made fresh with zmq_curve_keypair and printed.
 *
 * SIGTERM ends the loop: the socket is closed with linger 0, zmq_ctx_term
 * runs (the ZAP thread sees ETERM and closes its socket), "term ok" is
 * printed and the exit status is 0. A hang in zmq_ctx_term is visible to the
 * driver as a process that does not exit.
 *
 * The soft descriptor limit is raised to the hard one (1000 half-open
 * connections need more than the usual 1024), or set to --nofile N (a peer
 * that exhausts the server's descriptors). Errors: one line on stderr,
 * exit 2. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <dirent.h>
#include <unistd.h>
#include <zmq.h>

static volatile sig_atomic_t g_stop;

static void on_term(int sig)
{
    (void) sig;
    g_stop = 1;
}

static void die(const char *what)
{
    fprintf(stderr, "server: %s: %s\n", what, zmq_strerror(zmq_errno()));
    exit(2);
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &v) == 1)
            break;
    fclose(f);
    return v;
}

static int fd_count(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n - 1; /* the directory's own descriptor */
}

/* Receives one frame into a fresh string; returns its length or -1. */
static int recv_str(void *s, char *buf, size_t cap)
{
    int n = zmq_recv(s, buf, cap - 1, 0);
    if (n < 0)
        return -1;
    if ((size_t) n > cap - 1)
        n = (int) (cap - 1);
    buf[n] = 0;
    return n;
}

static void *zap_handler(void *arg)
{
    void *zap = arg;
    for (;;) {
        char version[16], reqid[256], domain[256], addr[256], rid[512],
          mech[32], cred[2][512];
        int reqid_len, ncred = 0, more = 0;
        size_t more_sz = sizeof more;
        if (recv_str(zap, version, sizeof version) < 0)
            break; /* ETERM: the context is ending */
        reqid_len = recv_str(zap, reqid, sizeof reqid);
        if (reqid_len < 0 || recv_str(zap, domain, sizeof domain) < 0
            || recv_str(zap, addr, sizeof addr) < 0
            || recv_str(zap, rid, sizeof rid) < 0
            || recv_str(zap, mech, sizeof mech) < 0)
            break;
        for (;;) {
            if (zmq_getsockopt(zap, ZMQ_RCVMORE, &more, &more_sz) != 0
                || !more)
                break;
            char tmp[512];
            int n = recv_str(zap, tmp, sizeof tmp);
            if (n < 0)
                goto out;
            if (ncred < 2)
                memcpy(cred[ncred++], tmp, (size_t) n + 1);
        }
        const char *status = "400", *text = "denied";
        if (strcmp(mech, "PLAIN") == 0 && ncred == 2
            && strcmp(cred[0], "admin") == 0 && strcmp(cred[1], "secret") == 0)
            status = "200", text = "OK";
        else if (strcmp(mech, "CURVE") == 0 || strcmp(mech, "NULL") == 0)
            status = "200", text = "OK";
        if (zmq_send(zap, "1.0", 3, ZMQ_SNDMORE) < 0
            || zmq_send(zap, reqid, (size_t) reqid_len, ZMQ_SNDMORE) < 0
            || zmq_send(zap, status, 3, ZMQ_SNDMORE) < 0
            || zmq_send(zap, text, strlen(text), ZMQ_SNDMORE) < 0
            || zmq_send(zap, "user", 4, ZMQ_SNDMORE) < 0
            || zmq_send(zap, "", 0, 0) < 0)
            break;
    }
out:
    zmq_close(zap);
    return NULL;
}

int main(int argc, char **argv)
{
    const char *type = "router", *mech = "null", *tr = "tcp";
    int hs_ivl = -1;
    long long maxmsg = -2;
    int nofile = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            fprintf(stderr, "server: %s needs a value\n", a);
            return 2;
        }
        if (strcmp(a, "--type") == 0)
            type = v;
        else if (strcmp(a, "--mech") == 0)
            mech = v;
        else if (strcmp(a, "--tr") == 0)
            tr = v;
        else if (strcmp(a, "--handshake-ivl") == 0)
            hs_ivl = atoi(v);
        else if (strcmp(a, "--maxmsgsize") == 0)
            maxmsg = atoll(v);
        else if (strcmp(a, "--nofile") == 0)
            nofile = atoi(v);
        else {
            fprintf(stderr, "server: unknown argument %s\n", a);
            return 2;
        }
        i++;
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = nofile > 0 ? (rlim_t) nofile : rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
            perror("server: setrlimit");
            return 2;
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int stype;
    if (strcmp(type, "router") == 0)
        stype = ZMQ_ROUTER;
    else if (strcmp(type, "rep") == 0)
        stype = ZMQ_REP;
    else {
        fprintf(stderr, "server: --type router|rep\n");
        return 2;
    }

    void *ctx = zmq_ctx_new();
    if (!ctx)
        die("zmq_ctx_new");
    void *zap = NULL;
    pthread_t zap_thread;
    char pub_z85[41] = "-", pub_hex[65] = "-";
    void *s = zmq_socket(ctx, stype);
    if (!s)
        die("zmq_socket");
    int zero = 0, one = 1;
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    if (strcmp(mech, "null") != 0) {
        zap = zmq_socket(ctx, ZMQ_REP);
        if (!zap || zmq_bind(zap, "inproc://zeromq.zap.01") != 0)
            die("ZAP handler bind");
        if (zmq_setsockopt(s, ZMQ_ZAP_DOMAIN, "hostile", 7) != 0)
            die("ZMQ_ZAP_DOMAIN");
    }
    if (strcmp(mech, "plain") == 0) {
        if (zmq_setsockopt(s, ZMQ_PLAIN_SERVER, &one, sizeof one) != 0)
            die("ZMQ_PLAIN_SERVER");
    } else if (strcmp(mech, "curve") == 0) {
        char sec_z85[41];
        uint8_t pub[32];
        if (zmq_curve_keypair(pub_z85, sec_z85) != 0)
            die("zmq_curve_keypair");
        if (!zmq_z85_decode(pub, pub_z85))
            die("zmq_z85_decode");
        for (int i = 0; i < 32; i++)
            sprintf(pub_hex + 2 * i, "%02x", pub[i]);
        if (zmq_setsockopt(s, ZMQ_CURVE_SERVER, &one, sizeof one) != 0
            || zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, sec_z85, 40) != 0)
            die("CURVE server options");
    } else if (strcmp(mech, "null") != 0) {
        fprintf(stderr, "server: --mech null|plain|curve\n");
        return 2;
    }
    if (hs_ivl >= 0
        && zmq_setsockopt(s, ZMQ_HANDSHAKE_IVL, &hs_ivl, sizeof hs_ivl) != 0)
        die("ZMQ_HANDSHAKE_IVL");
    if (maxmsg != -2) {
        int64_t m = maxmsg;
        if (zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &m, sizeof m) != 0)
            die("ZMQ_MAXMSGSIZE");
    }
    const char *ep = strcmp(tr, "ws") == 0 ? "ws://127.0.0.1:0/hostile"
                                           : "tcp://127.0.0.1:0";
    if (strcmp(tr, "tcp") != 0 && strcmp(tr, "ws") != 0) {
        fprintf(stderr, "server: --tr tcp|ws\n");
        return 2;
    }
    if (zmq_bind(s, ep) != 0)
        die("zmq_bind");
    char last[256];
    size_t last_len = sizeof last;
    if (zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, last, &last_len) != 0)
        die("ZMQ_LAST_ENDPOINT");
    if (zap && pthread_create(&zap_thread, NULL, zap_handler, zap) != 0) {
        fprintf(stderr, "server: pthread_create failed\n");
        return 2;
    }
    printf("ready %s %s %s\n", last, pub_z85, pub_hex);
    fflush(stdout);

    /* Echo loop. Frames are kept as zmq_msg_t so any size round-trips. */
    enum { MAXF = 16 };
    zmq_msg_t parts[MAXF];
    while (!g_stop) {
        zmq_pollitem_t it = {s, 0, ZMQ_POLLIN, 0};
        int rc = zmq_poll(&it, 1, 200);
        if (rc < 0) {
            if (zmq_errno() == EINTR)
                continue;
            die("zmq_poll");
        }
        if (rc == 0)
            continue;
        int n = 0, more = 1;
        while (more) {
            zmq_msg_t m;
            zmq_msg_init(&m);
            if (zmq_msg_recv(&m, s, ZMQ_DONTWAIT) < 0) {
                zmq_msg_close(&m);
                break;
            }
            more = zmq_msg_more(&m);
            if (n < MAXF)
                parts[n++] = m;
            else
                zmq_msg_close(&m); /* an over-long message is cut */
        }
        if (n == 0)
            continue;
        zmq_msg_t *last_part = &parts[n - 1];
        if (zmq_msg_size(last_part) == 5
            && memcmp(zmq_msg_data(last_part), "STATS", 5) == 0) {
            char txt[64];
            int len = snprintf(txt, sizeof txt, "rss_kib=%ld fds=%d", rss_kib(),
                               fd_count());
            zmq_msg_close(last_part);
            zmq_msg_init_size(last_part, (size_t) len);
            memcpy(zmq_msg_data(last_part), txt, (size_t) len);
        }
        for (int i = 0; i < n; i++) {
            int flags = ZMQ_DONTWAIT | (i + 1 < n ? ZMQ_SNDMORE : 0);
            if (zmq_msg_send(&parts[i], s, flags) < 0) {
                /* Peer gone or not reading: drop the rest of this reply. */
                for (int j = i; j < n; j++)
                    zmq_msg_close(&parts[j]);
                break;
            }
        }
    }
    zmq_close(s);
    zmq_ctx_term(ctx);
    if (zap)
        pthread_join(zap_thread, NULL);
    printf("term ok\n");
    fflush(stdout);
    return 0;
}
