/* Shared helpers for the Monocoque benchmark programs.
 *
 * Every program in perf/ uses only the public zmq.h API, so the library under
 * test is chosen at run time (LD_LIBRARY_PATH=DIR holding libzmq.so.5).
 * Conventions kept by every program:
 *   - arguments are validated; a bad one prints usage and exits 2;
 *   - exactly one line "RESULT prog=NAME ok=1|0 key=value ..." goes to stdout
 *     (peer processes spawned by a program write to stderr only);
 *   - the run is bounded by an alarm (--timeout SEC, default 60): on expiry the
 *     program kills the peers it spawned, prints "RESULT ... ok=0
 *     error=timeout" and exits 3;
 *   - a spawned peer dies with its parent (PR_SET_PDEATHSIG).
 */
#ifndef MONOCOQUE_PERF_COMMON_H
#define MONOCOQUE_PERF_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <link.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef PERF_USE_ZMQ
#include <zmq.h>
#endif

extern char **environ;

/* helpers are static in every program; not all programs use all of them */
#define PERF_FN static __attribute__((unused))

#define PERF_MAX_CHILDREN 64
#define PERF_MAX_SIZE (256L * 1024 * 1024) /* largest message/chunk accepted */
#define PERF_DEFAULT_TIMEOUT 60
#define PERF_MAX_TIMEOUT 3600

static const char *g_prog = "perf";
static const char *g_usage = "";
static volatile pid_t g_children[PERF_MAX_CHILDREN];
static volatile int g_nchildren;
/* Messages or round trips done so far, reported on timeout (-1: unused). */
static volatile long long g_progress = -1;

PERF_FN void perf_usage(const char *why)
{
    if (why)
        fprintf(stderr, "%s: %s\n", g_prog, why);
    fprintf(stderr, "%s", g_usage);
    exit(2);
}

/* Parses a plain non-negative decimal integer in [lo, hi]; anything else
 * (sign, suffix, overflow, empty) is a usage error. */
PERF_FN long long perf_parse_int(const char *s, long long lo, long long hi, const char *what)
{
    char msg[256];
    const char *p = s;
    long long v = 0;
    if (!s || !*s)
        goto bad;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            goto bad;
        if (v > (hi - (*p - '0')) / 10) /* would exceed hi */
            goto bad;
        v = v * 10 + (*p - '0');
    }
    if (v < lo || v > hi)
        goto bad;
    return v;
bad:
    snprintf(msg, sizeof msg, "bad %s '%s': must be an integer in [%lld, %lld]", what,
             s ? s : "", lo, hi);
    perf_usage(msg);
    return 0;
}

PERF_FN int perf_valid_endpoint(const char *ep)
{
    size_t n = strlen(ep);
    if (n >= 200)
        return 0;
    if (!strncmp(ep, "tcp://", 6))
        return n > 6;
    if (!strncmp(ep, "ipc://", 6))
        return n > 6;
    if (!strncmp(ep, "inproc://", 9))
        return n > 9;
    return 0;
}

PERF_FN int perf_is_inproc(const char *ep)
{
    return !strncmp(ep, "inproc://", 9);
}

PERF_FN const char *perf_transport(const char *ep)
{
    if (!strncmp(ep, "tcp://", 6))
        return "tcp";
    if (!strncmp(ep, "ipc://", 6))
        return "ipc";
    return "inproc";
}

PERF_FN uint64_t perf_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

PERF_FN void perf_kill_children(void)
{
    for (int i = 0; i < g_nchildren; i++)
        if (g_children[i] > 0)
            kill(g_children[i], SIGKILL);
}

PERF_FN void perf_on_alarm(int sig)
{
    char line[160];
    int n;
    (void)sig;
    perf_kill_children();
    if (g_progress >= 0)
        n = snprintf(line, sizeof line, "RESULT prog=%s ok=0 error=timeout progress=%lld\n", g_prog,
                     (long long)g_progress);
    else
        n = snprintf(line, sizeof line, "RESULT prog=%s ok=0 error=timeout\n", g_prog);
    if (n > 0 && write(1, line, (size_t)n) < 0) {
        /* nothing more can be done inside a signal handler */
    }
    _exit(3);
}

PERF_FN void perf_set_timeout(long long secs)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = perf_on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    alarm((unsigned)secs);
}

/* True in a peer started by perf_spawn_self. */
PERF_FN int perf_is_child(void)
{
    return getenv("MONOCOQUE_PERF_CHILD") != NULL;
}

/* Called first thing in a spawned peer: die with the parent. */
PERF_FN void perf_become_child(void)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1)
        _exit(1);
}

/* A spawned peer's stdin is a pipe whose write end the parent holds until it
 * has everything it needs (perf_wait_children). A peer calls perf_hold()
 * before closing its sockets: closing right after the last send can lose
 * queued messages in libzmq 4.3 despite ZMQ_LINGER=-1 (libzmq issue #4660,
 * seen here on ipc about 1 run in 30), so the peer keeps its sockets open until
 * the parent says it is done. Outside a spawned peer it returns at once. */
static volatile int g_hold_fds[PERF_MAX_CHILDREN];

PERF_FN void perf_hold(void)
{
    char c;
    if (!perf_is_child())
        return;
    for (;;) {
        ssize_t r = read(0, &c, 1);
        if (r == 0 || (r < 0 && errno != EINTR))
            return;
    }
}

/* Starts this same executable with argv (argv[0] included); the child's
 * stdout is its stderr so that only the parent writes RESULT lines, and its
 * stdin is the hold pipe. */
PERF_FN pid_t perf_spawn_self(char *const argv[])
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int rc, p[2];
    if (g_nchildren >= PERF_MAX_CHILDREN) {
        fprintf(stderr, "%s: too many children\n", g_prog);
        return -1;
    }
    if (pipe2(p, O_CLOEXEC) != 0) {
        fprintf(stderr, "%s: pipe: %s\n", g_prog, strerror(errno));
        return -1;
    }
    setenv("MONOCOQUE_PERF_CHILD", "1", 1);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[0], 0);
    posix_spawn_file_actions_adddup2(&fa, 2, 1);
    rc = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[0]);
    if (rc != 0) {
        close(p[1]);
        fprintf(stderr, "%s: posix_spawn: %s\n", g_prog, strerror(rc));
        return -1;
    }
    g_hold_fds[g_nchildren] = p[1];
    g_children[g_nchildren++] = pid;
    return pid;
}

/* Forks a child (no exec; used where no libzmq state exists yet). */
PERF_FN pid_t perf_fork(void)
{
    pid_t pid;
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        g_nchildren = 0;
        dup2(2, 1); /* only the parent writes the RESULT line */
        perf_become_child();
    } else if (pid > 0 && g_nchildren < PERF_MAX_CHILDREN) {
        g_hold_fds[g_nchildren] = -1;
        g_children[g_nchildren++] = pid;
    }
    return pid;
}

/* Releases every held peer, then waits for each; returns how many failed. */
PERF_FN int perf_wait_children(void)
{
    int failed = 0;
    for (int i = 0; i < g_nchildren; i++)
        if (g_hold_fds[i] > 0) {
            close(g_hold_fds[i]);
            g_hold_fds[i] = -1;
        }
    for (int i = 0; i < g_nchildren; i++) {
        int st = 0;
        if (g_children[i] <= 0)
            continue;
        if (waitpid(g_children[i], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "%s: child %d failed (status 0x%x)\n", g_prog, (int)g_children[i], st);
            failed++;
        }
        g_children[i] = 0;
    }
    g_nchildren = 0;
    return failed;
}

/* Resident set size of this process in KiB, from /proc/self/status. */
PERF_FN long perf_rss_kb(void)
{
    char line[256];
    long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6)) {
            kb = strtol(line + 6, NULL, 10);
            break;
        }
    fclose(f);
    return kb;
}

/* Raises the soft RLIMIT_NOFILE as far as the hard limit allows; returns the
 * resulting soft limit. */
PERF_FN long perf_raise_nofile(long want)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return -1;
    if (rl.rlim_cur == RLIM_INFINITY || (long)rl.rlim_cur >= want)
        return want;
    rl.rlim_cur = (rl.rlim_max == RLIM_INFINITY || (long)rl.rlim_max >= want) ? (rlim_t)want : rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
    return (long)rl.rlim_cur;
}

/* User + system CPU seconds of this process (all its threads) and of its
 * children that have been waited for (RUSAGE_CHILDREN: call after
 * perf_wait_children). */
PERF_FN double perf_cpu_secs(int who)
{
    struct rusage ru;
    if (getrusage(who, &ru) != 0)
        return -1;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

PERF_FN int perf_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Round-trip statistics over n samples (sorts the array). */
struct perf_lat_stats {
    double mean_us, median_us, p99_us, min_us, max_us;
};

PERF_FN struct perf_lat_stats perf_lat_summary(uint64_t *ns, size_t n)
{
    struct perf_lat_stats s = {0, 0, 0, 0, 0};
    long double sum = 0;
    if (n == 0)
        return s;
    for (size_t i = 0; i < n; i++)
        sum += ns[i];
    qsort(ns, n, sizeof ns[0], perf_cmp_u64);
    s.mean_us = (double)(sum / n) / 1e3;
    s.median_us = (n % 2 ? (double)ns[n / 2] : ((double)ns[n / 2 - 1] + (double)ns[n / 2]) / 2) / 1e3;
    s.p99_us = (double)ns[(size_t)((n - 1) * 0.99)] / 1e3;
    s.min_us = (double)ns[0] / 1e3;
    s.max_us = (double)ns[n - 1] / 1e3;
    return s;
}

/* Path of the libzmq actually loaded, so a run can prove which library it
 * measured (LD_LIBRARY_PATH mistakes are silent otherwise). */
static char g_libpath[512] = "unknown";

PERF_FN int perf_find_lib_cb(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    if (info->dlpi_name && strstr(info->dlpi_name, "libzmq")) {
        snprintf(g_libpath, sizeof g_libpath, "%s", info->dlpi_name);
        return 1;
    }
    return 0;
}

PERF_FN const char *perf_libzmq_path(void)
{
    dl_iterate_phdr(perf_find_lib_cb, NULL);
    return g_libpath;
}

/* Common option parsing: strips "--timeout N" / "--timeout=N" and
 * "--role R" / "--role=R" out of argv, returns the positional count and
 * fills pos[]. Unknown "--" options are usage errors. */
struct perf_opts {
    long long timeout;
    const char *role;
    const char *pos[8];
    int npos;
    /* program-specific option (e.g. --per-proc) */
    const char *extra_name;
    const char *extra_val;
    /* more program-specific options: names (NULL-terminated), values */
    const char *more_names[8];
    const char *more_vals[8];
};

/* The value given for program-specific option NAME (listed in more_names),
 * or NULL. */
PERF_FN const char *perf_opt(const struct perf_opts *o, const char *name)
{
    for (int i = 0; i < 8 && o->more_names[i]; i++)
        if (!strcmp(o->more_names[i], name))
            return o->more_vals[i];
    return NULL;
}

PERF_FN void perf_parse_opts(int argc, char **argv, struct perf_opts *o)
{
    o->timeout = PERF_DEFAULT_TIMEOUT;
    o->role = NULL;
    o->npos = 0;
    o->extra_val = NULL;
    for (int i = 0; i < 8; i++)
        o->more_vals[i] = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        const char *name = NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            perf_usage(NULL);
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            if (o->npos >= 8)
                perf_usage("too many arguments");
            o->pos[o->npos++] = a;
            continue;
        }
        name = a + 2;
        {
            const char *eq = strchr(name, '=');
            static char namebuf[64];
            if (eq) {
                size_t len = (size_t)(eq - name);
                if (len >= sizeof namebuf)
                    perf_usage("bad option");
                memcpy(namebuf, name, len);
                namebuf[len] = '\0';
                name = namebuf;
                val = eq + 1;
            } else {
                if (i + 1 >= argc)
                    perf_usage("option needs a value");
                val = argv[++i];
            }
        }
        if (!strcmp(name, "timeout"))
            o->timeout = perf_parse_int(val, 1, PERF_MAX_TIMEOUT, "--timeout");
        else if (!strcmp(name, "role"))
            o->role = val;
        else if (o->extra_name && !strcmp(name, o->extra_name))
            o->extra_val = val;
        else {
            int k = 0;
            while (k < 8 && o->more_names[k] && strcmp(o->more_names[k], name))
                k++;
            if (k == 8 || !o->more_names[k])
                perf_usage("unknown option");
            o->more_vals[k] = val;
        }
    }
}

#ifdef PERF_USE_ZMQ
/* Failure of a zmq call: report on stderr, one ok=0 RESULT line on stdout
 * (peers have stdout redirected to stderr), kill peers, exit 1. */
PERF_FN void perf_zfail(const char *what, const char *file, int line)
{
    int e = zmq_errno();
    fprintf(stderr, "%s: %s:%d: %s: %s (errno %d)\n", g_prog, file, line, what, zmq_strerror(e), e);
    perf_kill_children();
    printf("RESULT prog=%s ok=0 error=zmq errno=%d\n", g_prog, e);
    fflush(stdout);
    exit(1);
}
#define ZCHECK(expr)                                                                               \
    do {                                                                                           \
        if ((expr) == -1)                                                                          \
            perf_zfail(#expr, __FILE__, __LINE__);                                                 \
    } while (0)
#define ZCHECKP(expr)                                                                              \
    do {                                                                                           \
        if ((expr) == NULL)                                                                        \
            perf_zfail(#expr, __FILE__, __LINE__);                                                 \
    } while (0)

PERF_FN void perf_fail(const char *why)
{
    fprintf(stderr, "%s: %s\n", g_prog, why);
    perf_kill_children();
    printf("RESULT prog=%s ok=0 error=%s\n", g_prog, why);
    fflush(stdout);
    exit(1);
}

/* Prints "RESULT prog=NAME ok=1 zmq=X.Y.Z lib=PATH" without newline. */
PERF_FN void perf_result_begin(void)
{
    int a, b, c;
    zmq_version(&a, &b, &c);
    printf("RESULT prog=%s ok=1 zmq=%d.%d.%d lib=%s", g_prog, a, b, c, perf_libzmq_path());
}

/* Binds s to ep and returns the resolved endpoint (wildcard port filled in). */
PERF_FN void perf_bind(void *s, const char *ep, char *resolved, size_t cap)
{
    if (!strncmp(ep, "ipc://", 6) && strcmp(ep + 6, "*") != 0)
        unlink(ep + 6); /* stale file from a killed run */
    ZCHECK(zmq_bind(s, ep));
    ZCHECK(zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, resolved, &cap));
}

/* CURVE (--curve=1): the first side makes both key pairs once per run with
 * zmq_curve_keypair and passes them to the peer it spawns through the
 * environment (Z85 text), so each library makes and uses its own keys. */
#define PERF_CURVE_SPUB "MONOCOQUE_PERF_CURVE_SPUB"
#define PERF_CURVE_SSEC "MONOCOQUE_PERF_CURVE_SSEC"
#define PERF_CURVE_CPUB "MONOCOQUE_PERF_CURVE_CPUB"
#define PERF_CURVE_CSEC "MONOCOQUE_PERF_CURVE_CSEC"

PERF_FN void perf_curve_keys(void)
{
    char spub[41], ssec[41], cpub[41], csec[41];
    if (getenv(PERF_CURVE_SPUB))
        return;
    if (!zmq_has("curve"))
        perf_fail("curve_not_supported");
    ZCHECK(zmq_curve_keypair(spub, ssec));
    ZCHECK(zmq_curve_keypair(cpub, csec));
    if (setenv(PERF_CURVE_SPUB, spub, 1) || setenv(PERF_CURVE_SSEC, ssec, 1) ||
        setenv(PERF_CURVE_CPUB, cpub, 1) || setenv(PERF_CURVE_CSEC, csec, 1))
        perf_fail("setenv");
}

/* Sets CURVE on socket s before bind/connect: server = 1 for the side that
 * holds the server key. */
PERF_FN void perf_curve_setup(void *s, int server)
{
    const char *spub = getenv(PERF_CURVE_SPUB), *ssec = getenv(PERF_CURVE_SSEC);
    const char *cpub = getenv(PERF_CURVE_CPUB), *csec = getenv(PERF_CURVE_CSEC);
    if (!spub || !ssec || !cpub || !csec)
        perf_fail("curve_keys_missing");
    if (server) {
        int one = 1;
        ZCHECK(zmq_setsockopt(s, ZMQ_CURVE_SERVER, &one, sizeof one));
        ZCHECK(zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, ssec, 40));
    } else {
        ZCHECK(zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, spub, 40));
        ZCHECK(zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, cpub, 40));
        ZCHECK(zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, csec, 40));
    }
}
#endif

#endif
