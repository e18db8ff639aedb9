/* fz: the roles every fault scenario runs, built against the reference
 * zmq.h and linked -lzmq, so the same binary runs on libzmq and on
 * Monocoque (LD_LIBRARY_PATH picks the library).
 *
 *   fz ROLE key=value...
 *
 * Output is one record per line, parsed by faults/run:
 *   EV <t_ms> <sock> <EVENT> <value> <endpoint>   a monitor event
 *   RX <t_ms> <what> <detail>                     something received
 *   RES key=value ...                             the role's result
 * t_ms is CLOCK_REALTIME in milliseconds (namespaces share the clock, the
 * driver compares it with its own schedule). Every role has a hard
 * deadline (end=<t_ms> or dl=<seconds>): it prints "RES timeout=1" and
 * exits 3 when it passes it, so nothing waits forever. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

/* ---- helpers ---------------------------------------------------------- */

static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;
static void out(const char *fmt, ...) {
    va_list ap;
    pthread_mutex_lock(&out_mu);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    pthread_mutex_unlock(&out_mu);
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
static void sleep_ms(double ms) {
    if (ms <= 0) return;
    struct timespec ts = {(time_t)(ms / 1000), (long)(((long long)ms % 1000) * 1000000)};
    nanosleep(&ts, NULL);
}

static int g_argc;
static char **g_argv;
static const char *opt(const char *key, const char *dflt) {
    size_t k = strlen(key);
    for (int i = 2; i < g_argc; i++)
        if (strncmp(g_argv[i], key, k) == 0 && g_argv[i][k] == '=') return g_argv[i] + k + 1;
    return dflt;
}
static long opti(const char *key, long dflt) {
    const char *v = opt(key, NULL);
    return v ? strtol(v, NULL, 10) : dflt;
}
static double optd(const char *key, double dflt) {
    const char *v = opt(key, NULL);
    return v ? strtod(v, NULL) : dflt;
}
/* "a,b,c" -> up to n ints; returns how many were given */
static int optv(const char *key, int *v, int n) {
    const char *s = opt(key, NULL);
    if (!s) return 0;
    int i = 0;
    while (i < n && *s) {
        v[i++] = (int)strtol(s, (char **)&s, 10);
        if (*s == ',') s++;
    }
    return i;
}

static void die(const char *what) {
    out("RES error=1 what=%s errno=%d msg=%s", what, zmq_errno(), zmq_strerror(zmq_errno()));
    exit(2);
}
#define CHECK(x) do { if ((x) < 0) die(#x); } while (0)

static double g_deadline; /* CLOCK_REALTIME ms */
static volatile sig_atomic_t g_stop; /* SIGTERM: finish now, still report */
static void on_term(int s) { (void)s; g_stop = 1; }
static void on_alarm(int s) {
    (void)s;
    static const char m[] = "RES timeout=1\n";
    if (write(1, m, sizeof m - 1) < 0) { /* nothing to do */ }
    _exit(3);
}
/* end=<t_ms> (absolute) or dl=<s> (relative), default 60 s. */
static void set_deadline(void) {
    double end = optd("end", 0);
    if (end <= 0) end = now_ms() + optd("dl", 60) * 1000;
    g_deadline = end;
    signal(SIGALRM, on_alarm);
    struct sigaction act;
    memset(&act, 0, sizeof act);
    act.sa_handler = on_term; /* no SA_RESTART: blocking calls return EINTR */
    sigaction(SIGTERM, &act, NULL);
    double s = (end - now_ms()) / 1000 + 2; /* the roles stop themselves at end; alarm is the backstop */
    alarm(s < 1 ? 1 : (unsigned)s);
}
static int past_deadline(void) { return g_stop || now_ms() >= g_deadline; }

static void seti(void *s, int o, int v) { CHECK(zmq_setsockopt(s, o, &v, sizeof v)); }

/* Common socket options from the command line. */
static void apply_opts(void *s) {
    int v[3];
    int n = optv("hb", v, 3); /* heartbeat ivl,timeout,ttl */
    if (n >= 1) seti(s, ZMQ_HEARTBEAT_IVL, v[0]);
    if (n >= 2) seti(s, ZMQ_HEARTBEAT_TIMEOUT, v[1]);
    if (n >= 3) seti(s, ZMQ_HEARTBEAT_TTL, v[2]);
    n = optv("ka", v, 3); /* tcp keepalive idle,intvl,cnt */
    if (n >= 1) {
        seti(s, ZMQ_TCP_KEEPALIVE, 1);
        seti(s, ZMQ_TCP_KEEPALIVE_IDLE, v[0]);
        if (n >= 2) seti(s, ZMQ_TCP_KEEPALIVE_INTVL, v[1]);
        if (n >= 3) seti(s, ZMQ_TCP_KEEPALIVE_CNT, v[2]);
    }
    n = optv("ri", v, 2); /* reconnect ivl,max */
    if (n >= 1) seti(s, ZMQ_RECONNECT_IVL, v[0]);
    if (n >= 2) seti(s, ZMQ_RECONNECT_IVL_MAX, v[1]);
    if (opt("ct", NULL)) seti(s, ZMQ_CONNECT_TIMEOUT, (int)opti("ct", 0));
    if (opt("maxrt", NULL)) seti(s, ZMQ_TCP_MAXRT, (int)opti("maxrt", 0));
    if (opt("linger", NULL)) seti(s, ZMQ_LINGER, (int)opti("linger", 0));
    if (opt("sndhwm", NULL)) seti(s, ZMQ_SNDHWM, (int)opti("sndhwm", 1000));
    if (opt("rcvhwm", NULL)) seti(s, ZMQ_RCVHWM, (int)opti("rcvhwm", 1000));
    if (opt("id", NULL)) CHECK(zmq_setsockopt(s, ZMQ_ROUTING_ID, opt("id", ""), strlen(opt("id", ""))));
}

static void *g_ctx;
static void ep_bind(void *s) {
    const char *ep = opt("ep", NULL);
    if (!ep) die("no ep=");
    /* A restarted peer may find its port still held for a moment. */
    for (int i = 0; zmq_bind(s, ep) < 0; i++) {
        if (i > 100 || past_deadline()) die("zmq_bind");
        sleep_ms(50);
    }
}
static void ep_connect(void *s) {
    const char *ep = opt("ep", NULL);
    if (!ep) die("no ep=");
    CHECK(zmq_connect(s, ep));
}

/* ---- monitor ---------------------------------------------------------- */

static const char *ev_name(int e) {
    switch (e) {
    case ZMQ_EVENT_CONNECTED: return "CONNECTED";
    case ZMQ_EVENT_CONNECT_DELAYED: return "CONNECT_DELAYED";
    case ZMQ_EVENT_CONNECT_RETRIED: return "CONNECT_RETRIED";
    case ZMQ_EVENT_LISTENING: return "LISTENING";
    case ZMQ_EVENT_BIND_FAILED: return "BIND_FAILED";
    case ZMQ_EVENT_ACCEPTED: return "ACCEPTED";
    case ZMQ_EVENT_ACCEPT_FAILED: return "ACCEPT_FAILED";
    case ZMQ_EVENT_CLOSED: return "CLOSED";
    case ZMQ_EVENT_CLOSE_FAILED: return "CLOSE_FAILED";
    case ZMQ_EVENT_DISCONNECTED: return "DISCONNECTED";
    case ZMQ_EVENT_MONITOR_STOPPED: return "MONITOR_STOPPED";
    case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL: return "HANDSHAKE_FAILED_NO_DETAIL";
    case ZMQ_EVENT_HANDSHAKE_SUCCEEDED: return "HANDSHAKE_SUCCEEDED";
    case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL: return "HANDSHAKE_FAILED_PROTOCOL";
    case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: return "HANDSHAKE_FAILED_AUTH";
    default: return "OTHER";
    }
}

struct mon { void *pair; char name[32]; };
static void *mon_main(void *arg) {
    struct mon *m = arg;
    for (;;) {
        zmq_msg_t a, b;
        zmq_msg_init(&a);
        if (zmq_msg_recv(&a, m->pair, 0) < 0) { zmq_msg_close(&a); break; }
        double t = now_ms();
        uint16_t ev = 0;
        uint32_t val = 0;
        if (zmq_msg_size(&a) >= 6) {
            memcpy(&ev, zmq_msg_data(&a), 2);
            memcpy(&val, (char *)zmq_msg_data(&a) + 2, 4);
        }
        zmq_msg_close(&a);
        zmq_msg_init(&b);
        char ep[256] = "";
        if (zmq_msg_recv(&b, m->pair, 0) >= 0) {
            size_t n = zmq_msg_size(&b) < 255 ? zmq_msg_size(&b) : 255;
            memcpy(ep, zmq_msg_data(&b), n);
            ep[n] = 0;
        }
        zmq_msg_close(&b);
        out("EV %.1f %s %s %u %s", t, m->name, ev_name(ev), val, ep[0] ? ep : "-");
        if (ev == ZMQ_EVENT_MONITOR_STOPPED) break;
    }
    zmq_close(m->pair);
    return NULL;
}
static pthread_t monitor(void *s, const char *name) {
    static int n;
    char ep[64];
    snprintf(ep, sizeof ep, "inproc://fz-mon-%d", n++);
    CHECK(zmq_socket_monitor(s, ep, ZMQ_EVENT_ALL));
    struct mon *m = calloc(1, sizeof *m);
    m->pair = zmq_socket(g_ctx, ZMQ_PAIR);
    int zero = 0;
    zmq_setsockopt(m->pair, ZMQ_LINGER, &zero, sizeof zero);
    CHECK(zmq_connect(m->pair, ep));
    snprintf(m->name, sizeof m->name, "%s", name);
    pthread_t th;
    pthread_create(&th, NULL, mon_main, m);
    return th;
}

static double cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* Waits up to ms for s to be readable. */
static int wait_in(void *s, double ms) {
    zmq_pollitem_t it = {s, 0, ZMQ_POLLIN, 0};
    int r = zmq_poll(&it, 1, (long)ms);
    return r > 0;
}
static double left_ms(void) { double l = g_deadline - now_ms(); return l > 0 && !g_stop ? l : 0; }

static void finish(void *s) {
    if (s) zmq_close(s);
    zmq_ctx_term(g_ctx);
}

/* ---- 1. streams ------------------------------------------------------- */

/* PULL: n=<count> messages of seq numbers from one PUSH, checks order. */
static int role_pull(void) {
    long n = opti("n", 10000);
    void *s = zmq_socket(g_ctx, ZMQ_PULL);
    apply_opts(s);
    monitor(s, "pull");
    ep_bind(s);
    long got = 0, bad_order = 0, bytes = 0;
    uint32_t expect = 0;
    double first = 0, last = 0;
    char buf[65536];
    while (got < n && !past_deadline()) {
        if (!wait_in(s, left_ms() < 200 ? left_ms() : 200)) continue;
        int r = zmq_recv(s, buf, sizeof buf, ZMQ_DONTWAIT);
        if (r < 4) continue;
        uint32_t seq;
        memcpy(&seq, buf, 4);
        if (seq != expect) bad_order++;
        expect = seq + 1;
        if (!got) first = now_ms();
        last = now_ms();
        got++;
        bytes += r;
    }
    double secs = (last - first) / 1000;
    out("RES got=%ld want=%ld bad_order=%ld bytes=%ld secs=%.3f t_done=%.1f msg_s=%.0f mbit_s=%.2f", got, n,
        bad_order, bytes, secs, now_ms(), secs > 0 ? (got - 1) / secs : 0, secs > 0 ? bytes * 8 / secs / 1e6 : 0);
    finish(s);
    return got == n && bad_order == 0 ? 0 : 1;
}

/* PUSH: sends n messages of size bytes, then closes with linger -1
 * (the driver bounds the wait). */
static int role_push(void) {
    long n = opti("n", 10000);
    int size = (int)opti("size", 100);
    void *s = zmq_socket(g_ctx, ZMQ_PUSH);
    apply_opts(s);
    monitor(s, "push");
    ep_connect(s);
    char *buf = calloc(1, size < 4 ? 4 : size);
    for (uint32_t i = 0; i < n; i++) {
        memcpy(buf, &i, 4);
        while (zmq_send(s, buf, size, ZMQ_DONTWAIT) < 0) {
            if (zmq_errno() != EAGAIN || past_deadline()) die("push send");
            zmq_pollitem_t it = {s, 0, ZMQ_POLLOUT, 0};
            zmq_poll(&it, 1, 100);
        }
    }
    out("RES sent=%ld", n);
    finish(s);
    return 0;
}

/* ROUTER echo: returns every message to its sender until the deadline or
 * until it has seen n messages (n=0: until the deadline). */
static int role_echo(void) {
    long n = opti("n", 0);
    int type = strcmp(opt("type", "router"), "rep") == 0 ? ZMQ_REP : ZMQ_ROUTER;
    double delay = optd("delay", 0);
    void *s = zmq_socket(g_ctx, type);
    if (type == ZMQ_ROUTER) seti(s, ZMQ_ROUTER_MANDATORY, 1);
    apply_opts(s);
    monitor(s, "srv");
    ep_bind(s);
    out("RES ready=1");
    long seen = 0, send_fail = 0;
    while (!past_deadline() && (n == 0 || seen < n)) {
        if (!wait_in(s, left_ms() < 200 ? left_ms() : 200)) continue;
        zmq_msg_t id, body;
        zmq_msg_init(&id);
        zmq_msg_init(&body);
        if (type == ZMQ_ROUTER) {
            if (zmq_msg_recv(&id, s, ZMQ_DONTWAIT) < 0) { zmq_msg_close(&id); zmq_msg_close(&body); continue; }
            if (zmq_msg_recv(&body, s, 0) < 0) die("echo recv body");
        } else if (zmq_msg_recv(&body, s, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&id); zmq_msg_close(&body); continue;
        }
        seen++;
        if (delay > 0) sleep_ms(delay);
        if (type == ZMQ_ROUTER && zmq_msg_send(&id, s, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0) {
            send_fail++;
            zmq_msg_close(&id);
            zmq_msg_close(&body);
            continue;
        }
        if (zmq_msg_send(&body, s, ZMQ_DONTWAIT) < 0) {
            send_fail++;
            zmq_msg_close(&body);
        }
        zmq_msg_close(&id);
    }
    out("RES seen=%ld send_fail=%ld", seen, send_fail);
    finish(s);
    return 0;
}

/* DEALER stream: n messages to a ROUTER echo, at most win outstanding;
 * checks replies arrive complete and in order. */
static int role_dealer_stream(void) {
    long n = opti("n", 10000);
    int size = (int)opti("size", 100), win = (int)opti("win", 500);
    void *s = zmq_socket(g_ctx, ZMQ_DEALER);
    apply_opts(s);
    monitor(s, "dealer");
    ep_connect(s);
    char *buf = calloc(1, size < 4 ? 4 : size);
    char rb[65536];
    uint32_t sent = 0, got = 0, expect = 0;
    long bad_order = 0, bytes = 0;
    double first = 0, last = 0;
    while (got < n && !past_deadline()) {
        zmq_pollitem_t it = {s, 0, ZMQ_POLLIN | (sent < n && sent - got < (uint32_t)win ? ZMQ_POLLOUT : 0), 0};
        zmq_poll(&it, 1, 100);
        if (it.revents & ZMQ_POLLOUT) {
            memcpy(buf, &sent, 4);
            if (zmq_send(s, buf, size, ZMQ_DONTWAIT) == size) {
                if (!sent) first = now_ms();
                sent++;
            }
        }
        while (1) {
            int r = zmq_recv(s, rb, sizeof rb, ZMQ_DONTWAIT);
            if (r < 4) break;
            uint32_t seq;
            memcpy(&seq, rb, 4);
            if (seq != expect) bad_order++;
            expect = seq + 1;
            got++;
            bytes += r;
            last = now_ms();
        }
    }
    double secs = (last - first) / 1000;
    out("RES sent=%u got=%u want=%ld bad_order=%ld secs=%.3f t_done=%.1f msg_s=%.0f mbit_s=%.2f", sent, got, n,
        bad_order, secs, now_ms(), secs > 0 ? got / secs : 0, secs > 0 ? bytes * 16 / secs / 1e6 : 0);
    finish(s);
    return got == n && bad_order == 0 ? 0 : 1;
}

/* ---- 2/3. pinging DEALER --------------------------------------------- */

/* DEALER that sends "<seq>" every ivl ms (not between quiet=from,to) and
 * logs every reply; runs until the deadline. */
static int role_pinger(void) {
    double ivl = optd("ivl", 100);
    double qfrom = 0, qto = 0;
    const char *q = opt("quiet", NULL);
    if (q) sscanf(q, "%lf,%lf", &qfrom, &qto);
    void *s = zmq_socket(g_ctx, ZMQ_DEALER);
    apply_opts(s);
    monitor(s, "cli");
    ep_connect(s);
    long sent = 0, eagain = 0, got = 0;
    double next = now_ms();
    char rb[256];
    while (!past_deadline()) {
        double t = now_ms();
        if (t >= next) {
            next += ivl;
            if (!(t >= qfrom && t < qto)) {
                char m[32];
                int l = snprintf(m, sizeof m, "%ld", sent);
                if (zmq_send(s, m, l, ZMQ_DONTWAIT) == l) sent++;
                else eagain++;
            }
        }
        double w = next - now_ms();
        if (w > left_ms()) w = left_ms();
        if (w < 0) w = 0;
        if (!wait_in(s, w)) continue;
        int r;
        while ((r = zmq_recv(s, rb, sizeof rb - 1, ZMQ_DONTWAIT)) >= 0) {
            rb[r < 255 ? r : 255] = 0;
            got++;
            out("RX %.1f reply %s", now_ms(), rb);
        }
    }
    out("RES sent=%ld got=%ld eagain=%ld", sent, got, eagain);
    int zero = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    finish(s);
    return 0;
}

/* REQ with REQ_RELAXED + REQ_CORRELATE: n requests, each re-sent after
 * retry ms without a reply; a reply must match its request. */
static int role_req(void) {
    long n = opti("n", 100);
    double retry = optd("retry", 1000);
    void *s = zmq_socket(g_ctx, ZMQ_REQ);
    if (opti("relaxed", 1)) {
        seti(s, ZMQ_REQ_RELAXED, 1);
        seti(s, ZMQ_REQ_CORRELATE, 1);
    }
    apply_opts(s);
    monitor(s, "req");
    ep_connect(s);
    long done = 0, resent = 0, mismatched = 0, efsm = 0;
    char rb[64];
    double worst = 0;
    while (done < n && !past_deadline()) {
        char m[32];
        int l = snprintf(m, sizeof m, "q%ld", done);
        double t0 = now_ms();
        if (zmq_send(s, m, l, 0) < 0) {
            if (zmq_errno() == EFSM) { efsm++; break; }
            die("req send");
        }
        for (;;) {
            if (past_deadline()) break;
            if (wait_in(s, retry < left_ms() ? retry : left_ms())) {
                int r = zmq_recv(s, rb, sizeof rb - 1, 0);
                if (r < 0) die("req recv");
                rb[r] = 0;
                if (strcmp(rb + 1, m + 1) != 0 || rb[0] != 'r') { mismatched++; continue; }
                break;
            }
            /* No reply: a relaxed REQ may send again (a strict one gets EFSM). */
            if (zmq_send(s, m, l, 0) < 0) {
                if (zmq_errno() == EFSM) { efsm++; goto out; }
                die("req resend");
            }
            resent++;
            out("RX %.1f resend %s", now_ms(), m);
        }
        if (past_deadline()) break;
        double d = now_ms() - t0;
        if (d > worst) worst = d;
        done++;
        out("RX %.1f reply %s", now_ms(), rb);
    }
out:
    out("RES done=%ld want=%ld resent=%ld mismatched=%ld efsm=%ld worst_ms=%.0f", done, n, resent,
        mismatched, efsm, worst);
    int zero = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    finish(s);
    return done == n ? 0 : 1;
}

/* REP: answers "q<k>" with "r<k>" after delay ms. */
static int role_rep(void) {
    double delay = optd("delay", 0);
    void *s = zmq_socket(g_ctx, ZMQ_REP);
    apply_opts(s);
    monitor(s, "rep");
    ep_bind(s);
    out("RES ready=1");
    long n = 0;
    char rb[64];
    while (!past_deadline()) {
        if (!wait_in(s, left_ms() < 200 ? left_ms() : 200)) continue;
        int r = zmq_recv(s, rb, sizeof rb - 1, ZMQ_DONTWAIT);
        if (r < 0) continue;
        rb[r] = 0;
        rb[0] = 'r';
        sleep_ms(delay);
        zmq_send(s, rb, r, 0);
        n++;
    }
    out("RES answered=%ld", n);
    finish(s);
    return 0;
}

/* ---- 3. PUB/SUB -------------------------------------------------------- */

/* PUB: every ivl ms publishes "A <inc> <seq>" and "B <inc> <seq>". */
static int role_pub(void) {
    double ivl = optd("ivl", 20);
    const char *inc = opt("inc", "0");
    void *s = zmq_socket(g_ctx, ZMQ_PUB);
    apply_opts(s);
    monitor(s, "pub");
    if (opti("bind", 1)) ep_bind(s);
    else ep_connect(s);
    long seq = 0;
    while (!past_deadline()) {
        char m[64];
        int l = snprintf(m, sizeof m, "A %s %ld", inc, seq);
        zmq_send(s, m, l, ZMQ_DONTWAIT);
        l = snprintf(m, sizeof m, "B %s %ld", inc, seq);
        zmq_send(s, m, l, ZMQ_DONTWAIT);
        seq++;
        sleep_ms(ivl);
    }
    out("RES published=%ld", seq);
    finish(s);
    return 0;
}

/* SUB to "A": logs the first message of each publisher incarnation and
 * counts per incarnation; any "B" is a filter failure. */
static int role_sub(void) {
    void *s = zmq_socket(g_ctx, ZMQ_SUB);
    apply_opts(s);
    CHECK(zmq_setsockopt(s, ZMQ_SUBSCRIBE, "A", 1));
    monitor(s, "sub");
    if (opti("bind", 0)) ep_bind(s);
    else ep_connect(s);
    char rb[128], cur[32] = "";
    long got = 0, wrong = 0, gaps = 0, incs = 0, last = -1;
    while (!past_deadline()) {
        if (!wait_in(s, left_ms() < 200 ? left_ms() : 200)) continue;
        int r;
        while ((r = zmq_recv(s, rb, sizeof rb - 1, ZMQ_DONTWAIT)) >= 0) {
            rb[r] = 0;
            char topic[8], inc[32];
            long seq;
            if (sscanf(rb, "%7s %31s %ld", topic, inc, &seq) != 3) continue;
            if (strcmp(topic, "A") != 0) { wrong++; continue; }
            got++;
            if (strcmp(inc, cur) != 0) {
                snprintf(cur, sizeof cur, "%s", inc);
                incs++;
                out("RX %.1f first inc=%s seq=%ld", now_ms(), inc, seq);
            } else if (seq != last + 1) {
                gaps++;
            }
            last = seq;
        }
    }
    out("RES got=%ld wrong_topic=%ld incarnations=%ld gaps=%ld", got, wrong, incs, gaps);
    finish(s);
    return 0;
}

/* ---- 3. ROUTER_HANDOVER ------------------------------------------------ */

/* ROUTER (handover=0/1): every ivl ms sends "<seq>" to routing id to=...;
 * logs which incarnation each "hello <inc>" from that id comes from. */
static int role_ho_router(void) {
    const char *to = opt("to", "peer1");
    double ivl = optd("ivl", 100);
    void *s = zmq_socket(g_ctx, ZMQ_ROUTER);
    seti(s, ZMQ_ROUTER_MANDATORY, 1);
    seti(s, ZMQ_ROUTER_HANDOVER, (int)opti("handover", 1));
    apply_opts(s);
    monitor(s, "router");
    ep_bind(s);
    long seq = 0, unroutable = 0;
    char cur[64] = "";
    double next = now_ms();
    while (!past_deadline()) {
        if (now_ms() >= next) {
            next += ivl;
            char m[32];
            int l = snprintf(m, sizeof m, "%ld", seq);
            if (zmq_send(s, to, strlen(to), ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
                zmq_send(s, m, l, ZMQ_DONTWAIT) < 0)
                unroutable++;
            else
                seq++;
        }
        double w = next - now_ms();
        if (!wait_in(s, w > 0 ? (w < left_ms() ? w : left_ms()) : 0)) continue;
        char id[64], body[64];
        int il = zmq_recv(s, id, sizeof id - 1, ZMQ_DONTWAIT);
        if (il < 0) continue;
        int bl = zmq_recv(s, body, sizeof body - 1, 0);
        if (bl < 0) continue;
        id[il < 63 ? il : 63] = 0;
        body[bl < 63 ? bl : 63] = 0;
        if (strcmp(body, cur) != 0) {
            snprintf(cur, sizeof cur, "%s", body);
            out("RX %.1f from id=%s %s", now_ms(), id, body);
        }
    }
    out("RES sent=%ld unroutable=%ld", seq, unroutable);
    finish(s);
    return 0;
}

/* DEALER with a fixed routing id: says "hello <inc>" every 200 ms and logs
 * the first message it receives. */
static int role_ho_dealer(void) {
    const char *inc = opt("inc", "0");
    void *s = zmq_socket(g_ctx, ZMQ_DEALER);
    apply_opts(s);
    monitor(s, "dealer");
    ep_connect(s);
    long got = 0;
    double next = now_ms();
    char m[64], rb[64];
    int l = snprintf(m, sizeof m, "hello %s", inc);
    while (!past_deadline()) {
        if (now_ms() >= next) {
            next += 200;
            zmq_send(s, m, l, ZMQ_DONTWAIT);
        }
        double w = next - now_ms();
        if (!wait_in(s, w > 0 ? (w < left_ms() ? w : left_ms()) : 0)) continue;
        while (zmq_recv(s, rb, sizeof rb, ZMQ_DONTWAIT) >= 0) {
            if (!got) out("RX %.1f first", now_ms());
            got++;
        }
    }
    out("RES got=%ld", got);
    int zero = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    finish(s);
    return 0;
}

/* ---- 4. reconnect back-off -------------------------------------------- */

/* A monitored DEALER connecting to ep for dl seconds; reports CPU use. */
static int role_backoff(void) {
    void *s = zmq_socket(g_ctx, ZMQ_DEALER);
    apply_opts(s);
    pthread_t th = monitor(s, "cli");
    double c0 = cpu_s(), t0 = now_ms();
    ep_connect(s);
    while (!past_deadline()) sleep_ms(left_ms() < 200 ? left_ms() : 200);
    double cpu = cpu_s() - c0, wall = (now_ms() - t0) / 1000;
    int zero = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    zmq_close(s);
    out("RES cpu_s=%.3f wall_s=%.1f", cpu, wall);
    zmq_ctx_term(g_ctx);
    pthread_join(th, NULL);
    return 0;
}

/* ---- 6. linger ---------------------------------------------------------- */

/* PUSH: connects, waits for the handshake, sleeps until at=<t_ms>, queues
 * up to mb megabytes without blocking, then zmq_close + zmq_ctx_term and
 * reports how long the term took. */
static int role_linger(void) {
    double at = optd("at", 0);
    long mb = opti("mb", 64);
    void *s = zmq_socket(g_ctx, ZMQ_PUSH);
    seti(s, ZMQ_SNDHWM, 0);
    apply_opts(s);
    /* no monitor thread: its socket would be one more thing for term */
    ep_connect(s);
    if (opti("hello", 1)) {
        /* the first message proves the connection is up before 'at' */
        if (zmq_send(s, "hello", 5, 0) < 0) die("hello");
    }
    while (now_ms() < at && !past_deadline()) sleep_ms(10);
    static char buf[1024];
    long queued = 0;
    double tq = now_ms();
    while (queued < mb * 1024 && now_ms() - tq < 3000) {
        if (zmq_send(s, buf, sizeof buf, ZMQ_DONTWAIT) < 0) break;
        queued++;
    }
    double t0 = now_ms();
    out("RX %.1f closing queued_kb=%ld", t0, queued);
    zmq_close(s);
    zmq_ctx_term(g_ctx);
    double t1 = now_ms();
    out("RES term_ms=%.0f queued_kb=%ld", t1 - t0, queued);
    return 0;
}

/* PULL sink: counts bytes until the deadline. */
static int role_sink(void) {
    void *s = zmq_socket(g_ctx, ZMQ_PULL);
    apply_opts(s);
    ep_bind(s);
    out("RES ready=1");
    long bytes = 0, msgs = 0;
    static char rb[65536];
    double lastrx = 0;
    while (!past_deadline()) {
        if (!wait_in(s, left_ms() < 200 ? left_ms() : 200)) continue;
        int r;
        while ((r = zmq_recv(s, rb, sizeof rb, ZMQ_DONTWAIT)) >= 0) {
            bytes += r;
            msgs++;
            lastrx = now_ms();
        }
    }
    out("RES msgs=%ld bytes=%ld last_rx=%.1f", msgs, bytes, lastrx);
    int zero = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    finish(s);
    return 0;
}

/* ---- 5. churn ----------------------------------------------------------- */

/* waves of n DEALERs: connect, each sends m requests "c<i>:<k>", waits for
 * every echo (timeout to ms), closes; repeats until the deadline or
 * waves=<count>. */
static int role_churn_client(void) {
    int n = (int)opti("n", 100), m = (int)opti("m", 2), maxw = (int)opti("waves", 1 << 30);
    double tmo = optd("to", 20000), pause = optd("pause", 200);
    const char *tag = opt("tag", "x");
    /* closed sockets count until libzmq's reaper destroys them */
    zmq_ctx_set(g_ctx, ZMQ_MAX_SOCKETS, 4 * n + 64);
    void **ss = calloc(n, sizeof *ss);
    int *left = calloc(n, sizeof *left);
    zmq_pollitem_t *it = calloc(n, sizeof *it);
    long total_ok = 0, total_lost = 0, wrong = 0;
    int wave = 0;
    double t_stop = now_ms() + optd("for", 20) * 1000; /* start waves until then */
    while (wave < maxw && now_ms() < t_stop && left_ms() > tmo) {
        double t0 = now_ms();
        for (int i = 0; i < n; i++) {
            ss[i] = zmq_socket(g_ctx, ZMQ_DEALER);
            if (!ss[i]) die("churn socket");
            seti(ss[i], ZMQ_LINGER, 0);
            ep_connect(ss[i]);
            for (int k = 0; k < m; k++) {
                char b[64];
                int l = snprintf(b, sizeof b, "%s:%d:%d:%d", tag, wave, i, k);
                if (zmq_send(ss[i], b, l, 0) != l) die("churn send");
            }
            left[i] = m;
            it[i].socket = ss[i];
            it[i].events = ZMQ_POLLIN;
        }
        int pending = n;
        while (pending > 0 && now_ms() - t0 < tmo) {
            int r = zmq_poll(it, n, 200);
            if (r <= 0) continue;
            for (int i = 0; i < n; i++) {
                if (!(it[i].revents & ZMQ_POLLIN)) continue;
                char b[64];
                int l;
                while ((l = zmq_recv(ss[i], b, sizeof b - 1, ZMQ_DONTWAIT)) >= 0) {
                    b[l < 63 ? l : 63] = 0;
                    char want[64];
                    snprintf(want, sizeof want, "%s:%d:%d:", tag, wave, i);
                    if (strncmp(b, want, strlen(want)) != 0) { wrong++; continue; }
                    if (left[i] > 0 && --left[i] == 0) pending--;
                }
            }
        }
        long lost = 0;
        for (int i = 0; i < n; i++) lost += left[i];
        total_lost += lost;
        total_ok += (long)n * m - lost;
        double t1 = now_ms();
        for (int i = 0; i < n; i++) zmq_close(ss[i]);
        out("RX %.1f wave=%d clients=%d lost=%ld ms=%.0f", t1, wave, n, lost, t1 - t0);
        wave++;
        sleep_ms(pause);
    }
    out("RES waves=%d replies=%ld lost=%ld wrong=%ld", wave, total_ok, total_lost, wrong);
    finish(NULL);
    return total_lost || wrong ? 1 : 0;
}

/* ------------------------------------------------------------------------ */

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: fz ROLE key=value...\n");
        return 2;
    }
    g_argc = argc;
    g_argv = argv;
    set_deadline();
    g_ctx = zmq_ctx_new();
    if (opt("iothreads", NULL)) zmq_ctx_set(g_ctx, ZMQ_IO_THREADS, (int)opti("iothreads", 1));
    const char *r = argv[1];
    if (!strcmp(r, "pull")) return role_pull();
    if (!strcmp(r, "push")) return role_push();
    if (!strcmp(r, "echo")) return role_echo();
    if (!strcmp(r, "dealer-stream")) return role_dealer_stream();
    if (!strcmp(r, "pinger")) return role_pinger();
    if (!strcmp(r, "req")) return role_req();
    if (!strcmp(r, "rep")) return role_rep();
    if (!strcmp(r, "pub")) return role_pub();
    if (!strcmp(r, "sub")) return role_sub();
    if (!strcmp(r, "ho-router")) return role_ho_router();
    if (!strcmp(r, "ho-dealer")) return role_ho_dealer();
    if (!strcmp(r, "backoff")) return role_backoff();
    if (!strcmp(r, "linger")) return role_linger();
    if (!strcmp(r, "sink")) return role_sink();
    if (!strcmp(r, "churn-client")) return role_churn_client();
    fprintf(stderr, "fz: unknown role %s\n", r);
    return 2;
}
