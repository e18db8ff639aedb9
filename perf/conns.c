/* conns: memory cost of many idle TCP connections.
 *
 * The server (this process) binds one ROUTER on tcp://127.0.0.1:* and starts
 * ceil(N / PER_PROC) client processes; each creates its share of DEALER
 * sockets (one connection each). Every DEALER sends "H"; the ROUTER answers
 * each with "W", so each connection is proven both ways. When a client has
 * its answers it reads its RSS and reports, over its first DEALER,
 * "R count rss_before rss_after". Once all N hellos arrived and every client
 * reported (so every connection is established and idle) the server reads its
 * own RSS, then answers each report with "B" and the clients close.
 * RSS is VmRSS from /proc/self/status:
 *   server: after the bind  -> all N connected and idle
 *   client: after zmq_ctx_new + ZMQ_MAX_SOCKETS -> all its DEALERs answered
 * Reported per connection, in KiB: server_kib_per_conn, client_kib_per_conn
 * (sum of client deltas / N; a client's delta includes its DEALER sockets),
 * and total_kib_per_conn. RLIMIT_NOFILE is raised up to the hard limit. The
 * ROUTER's ZMQ_BACKLOG is 4096; connect_secs is the time until all N hellos.
 */
#define PERF_USE_ZMQ
#include "common.h"

static const char usage_text[] =
    "usage: conns [--timeout SEC] [--per-proc K] N\n"
    "  One ROUTER bound on tcp://127.0.0.1:*, N DEALER connections spread over\n"
    "  ceil(N/K) client processes (K default 2500). Verifies all N connected\n"
    "  (N messages each way) and reports RSS growth per connection.\n"
    "  N: 1..100000; K: 1..20000. Raises RLIMIT_NOFILE up to the hard limit.\n"
    "  Prints: RESULT prog=conns ok=1 ... server_kib_per_conn=X\n"
    "          client_kib_per_conn=X total_kib_per_conn=X\n";

#define MAX_PROCS PERF_MAX_CHILDREN

static int client_main(const char *ep, long long k)
{
    void *ctx;
    void **d = calloc((size_t)k, sizeof *d);
    char buf[64];
    int zero = 0;
    long need = 2 * k + 64, have;
    if (!d)
        perf_fail("out_of_memory");
    have = perf_raise_nofile(need);
    if (have < need) {
        fprintf(stderr, "conns: client needs %ld fds, RLIMIT_NOFILE allows %ld\n", need, have);
        perf_fail("rlimit_nofile");
    }
    ZCHECKP(ctx = zmq_ctx_new());
    ZCHECK(zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, (int)k + 16));
    long rss0 = perf_rss_kb();
    for (long long i = 0; i < k; i++) {
        ZCHECKP(d[i] = zmq_socket(ctx, ZMQ_DEALER));
        ZCHECK(zmq_setsockopt(d[i], ZMQ_LINGER, &zero, sizeof zero));
        ZCHECK(zmq_connect(d[i], ep));
        ZCHECK(zmq_send(d[i], "H", 1, 0));
    }
    for (long long i = 0; i < k; i++) {
        int n = zmq_recv(d[i], buf, sizeof buf, 0);
        if (n == -1)
            perf_zfail("zmq_recv", __FILE__, __LINE__);
        if (n != 1 || buf[0] != 'W')
            perf_fail("bad_reply");
    }
    long rss1 = perf_rss_kb();
    int len = snprintf(buf, sizeof buf, "R %lld %ld %ld", k, rss0, rss1);
    ZCHECK(zmq_send(d[0], buf, (size_t)len, 0));
    int n = zmq_recv(d[0], buf, sizeof buf, 0);
    if (n != 1 || buf[0] != 'B')
        perf_fail("bad_bye");
    for (long long i = 0; i < k; i++)
        ZCHECK(zmq_close(d[i]));
    ZCHECK(zmq_ctx_term(ctx));
    free(d);
    return 0;
}

int main(int argc, char **argv)
{
    struct perf_opts o = {0};
    long long n, per_proc = 2500;
    g_prog = "conns";
    g_usage = usage_text;
    o.extra_name = "per-proc";
    perf_parse_opts(argc, argv, &o);
    if (o.extra_val)
        per_proc = perf_parse_int(o.extra_val, 1, 20000, "--per-proc");
    perf_set_timeout(o.timeout);
    if (o.role && !strcmp(o.role, "client")) {
        /* internal: conns --role=client ENDPOINT K */
        perf_become_child();
        if (o.npos != 2 || strncmp(o.pos[0], "tcp://", 6) != 0)
            perf_usage("client: expected ENDPOINT K");
        return client_main(o.pos[0], perf_parse_int(o.pos[1], 1, 20000, "K"));
    }
    if (o.role)
        perf_usage("--role must be client (internal) or absent");
    if (o.npos != 1)
        perf_usage("expected N");
    n = perf_parse_int(o.pos[0], 1, 100000, "N");
    long long nprocs = (n + per_proc - 1) / per_proc;
    if (nprocs > MAX_PROCS)
        perf_usage("too many client processes: raise --per-proc");

    long need = n + 64, have = perf_raise_nofile(need);
    if (have < need) {
        fprintf(stderr, "conns: server needs %ld fds, RLIMIT_NOFILE allows %ld\n", need, have);
        perf_fail("rlimit_nofile");
    }
    void *ctx, *router;
    char ep[256];
    zmq_msg_t id, body;
    ZCHECKP(ctx = zmq_ctx_new());
    ZCHECKP(router = zmq_socket(ctx, ZMQ_ROUTER));
    /* With the default backlog (100) a burst of thousands of connects overflows
     * the accept queue and the run measures SYN retransmission timers instead;
     * memory per connection does not depend on it. */
    int backlog = 4096;
    ZCHECK(zmq_setsockopt(router, ZMQ_BACKLOG, &backlog, sizeof backlog));
    perf_bind(router, "tcp://127.0.0.1:*", ep, sizeof ep);
    long rss0 = perf_rss_kb();
    uint64_t t0 = perf_now_ns();
    for (long long p = 0, left = n; p < nprocs; p++) {
        long long k = left < per_proc ? left : per_proc;
        char ks[32], tos[32];
        left -= k;
        snprintf(ks, sizeof ks, "%lld", k);
        snprintf(tos, sizeof tos, "--timeout=%lld", o.timeout);
        char *cargv[] = {"conns", tos, "--role=client", ep, ks, NULL};
        if (perf_spawn_self(cargv) < 0)
            perf_fail("spawn");
    }
    ZCHECK(zmq_msg_init(&id));
    ZCHECK(zmq_msg_init(&body));
    zmq_msg_t rids[MAX_PROCS]; /* reporters wait for "B" until the server has measured */
    long long hellos = 0, reports = 0, client_kib = 0;
    uint64_t t_connected = 0;
    while (hellos < n || reports < nprocs) {
        ZCHECK(zmq_msg_recv(&id, router, 0));
        if (!zmq_msg_more(&id))
            perf_fail("missing_routing_id");
        int len = zmq_msg_recv(&body, router, 0);
        if (len == -1)
            perf_zfail("zmq_msg_recv", __FILE__, __LINE__);
        const char *b = zmq_msg_data(&body);
        const char *answer;
        if (len == 1 && b[0] == 'H') {
            if (++hellos == n)
                t_connected = perf_now_ns();
            answer = "W";
        } else if (len > 2 && len < 64 && b[0] == 'R') {
            char line[64];
            long long k;
            long r0, r1;
            memcpy(line, b, (size_t)len);
            line[len] = '\0';
            if (sscanf(line, "R %lld %ld %ld", &k, &r0, &r1) != 3)
                perf_fail("bad_report");
            client_kib += r1 - r0;
            if (reports >= nprocs)
                perf_fail("too_many_reports");
            ZCHECK(zmq_msg_init(&rids[reports]));
            ZCHECK(zmq_msg_copy(&rids[reports], &id));
            reports++;
            continue;
        } else {
            perf_fail("bad_message");
        }
        ZCHECK(zmq_msg_send(&id, router, ZMQ_SNDMORE));
        ZCHECK(zmq_send(router, answer, 1, 0));
    }
    long rss1 = perf_rss_kb();
    for (long long i = 0; i < reports; i++) {
        ZCHECK(zmq_msg_send(&rids[i], router, ZMQ_SNDMORE));
        ZCHECK(zmq_send(router, "B", 1, 0));
        zmq_msg_close(&rids[i]);
    }
    if (perf_wait_children())
        perf_fail("client_failed");
    zmq_msg_close(&id);
    zmq_msg_close(&body);
    ZCHECK(zmq_close(router));
    ZCHECK(zmq_ctx_term(ctx));

    double server = (double)(rss1 - rss0) / (double)n;
    double client = (double)client_kib / (double)n;
    perf_result_begin();
    printf(" transport=tcp conns=%lld procs=%lld connected=%lld connect_secs=%.3f "
           "server_rss0_kib=%ld server_rss1_kib=%ld server_kib_per_conn=%.3f "
           "client_kib_per_conn=%.3f total_kib_per_conn=%.3f\n",
           n, nprocs, hellos, (double)(t_connected - t0) / 1e9, rss0, rss1, server, client,
           server + client);
    return 0;
}
