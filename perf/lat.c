/* lat: REQ/REP round-trip latency.
 *
 * This process binds a REQ socket on ENDPOINT; the echo side connects a REP
 * socket and sends every request back unchanged (zmq_msg_recv then
 * zmq_msg_send of the same message). The echo side is a second process (tcp,
 * ipc) or a thread sharing the context (inproc). After WARMUP untimed round
 * trips (connection setup, first allocations), each of COUNT round trips is
 * timed on its own. --api buf (default): zmq_send of SIZE bytes from a buffer,
 * zmq_msg_recv of the reply. --api msg: as libzmq's remote_lat, one message
 * made once with zmq_msg_init_size (and filled) goes out with zmq_msg_send
 * and comes back into the same zmq_msg_t with zmq_msg_recv, round after
 * round. --busy 1: every receive is zmq_msg_recv with ZMQ_DONTWAIT, retried
 * at once until a message comes (a loop that polls instead of blocking, as
 * game loops and some trading code do; on both sides). Reported: round-trip mean/median/p99/min in microseconds,
 * oneway_mean_us = rtt_mean_us / 2, and cpu_s (user + system seconds of the
 * whole run: this process and the echo process) with cpu_s_per_m (per million
 * round trips).
 */
#define PERF_USE_ZMQ
#include "common.h"

#include <pthread.h>
#include <sched.h>

static const char usage_text[] =
    "usage: lat [--timeout SEC] [--warmup N] [--api buf|msg] [--curve 0|1] [--busy 0|1]\n"
    "           ENDPOINT SIZE COUNT\n"
    "       lat [--timeout SEC] [--warmup N] --role req|rep ENDPOINT SIZE COUNT\n"
    "  Measures REQ/REP round trips: this process binds REQ on ENDPOINT\n"
    "  (tcp://127.0.0.1:* is fine) and starts the REP echo as a second process\n"
    "  (tcp, ipc) or a thread (inproc). --role runs one side only: req binds and\n"
    "  reports, rep connects and echoes WARMUP+COUNT messages.\n"
    "  SIZE: message bytes, 1..268435456; COUNT: timed round trips, 1..10000000;\n"
    "  WARMUP: untimed round trips first, 0..1000000 (default 100).\n"
    "  --api buf: requests by zmq_send (default); msg: zmq_msg_send of one message\n"
    "  that zmq_msg_recv refills (libzmq's remote_lat).\n"
    "  --think US: the echo side sleeps US microseconds before each reply (a slow\n"
    "  server: shows what a blocked requester spends waiting; default 0).\n"
    "  --busy 1: both sides receive with ZMQ_DONTWAIT, retried until a message\n"
    "  comes (busy-polling instead of blocking; default 0). Runs under the normal\n"
    "  scheduler even when started under chrt: two real-time threads spinning on\n"
    "  two cores would never let the I/O threads run.\n"
    "  Prints: RESULT prog=lat ok=1 ... rtt_mean_us=X rtt_median_us=X rtt_p99_us=X\n"
    "          oneway_mean_us=X (one way = round trip / 2)\n";

struct args {
    void *ctx;
    char ep[256];
    long long size, total, think_us;
};

static int g_curve; /* --curve=1: the REQ (bound) side is the CURVE server */
static int g_busy;  /* --busy=1: receives poll with ZMQ_DONTWAIT */

/* --busy=1: back to SCHED_OTHER (before any thread is made, so that the
 * library's I/O threads follow): under SCHED_FIFO two spinning threads on
 * two cores never yield to the threads they wait for. */
static void busy_unrealtime(void)
{
    struct sched_param sp = {0};
    if (g_busy && sched_getscheduler(0) != SCHED_OTHER)
        sched_setscheduler(0, SCHED_OTHER, &sp);
}

/* zmq_msg_recv, or with --busy=1 zmq_msg_recv(ZMQ_DONTWAIT) until it
 * returns a message. */
static int recv_msg(zmq_msg_t *msg, void *s)
{
    if (!g_busy)
        return zmq_msg_recv(msg, s, 0);
    for (;;) {
        int n = zmq_msg_recv(msg, s, ZMQ_DONTWAIT);
        if (n >= 0 || errno != EAGAIN)
            return n;
    }
}

static void echo_all(void *ctx, const char *ep, long long total, long long think_us)
{
    void *s;
    zmq_msg_t msg;
    int linger = -1;
    ZCHECKP(s = zmq_socket(ctx, ZMQ_REP));
    ZCHECK(zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger));
    if (g_curve)
        perf_curve_setup(s, 0);
    ZCHECK(zmq_connect(s, ep));
    ZCHECK(zmq_msg_init(&msg));
    for (long long i = 0; i < total; i++) {
        ZCHECK(recv_msg(&msg, s));
        if (think_us > 0) {
            struct timespec ts = {think_us / 1000000, (think_us % 1000000) * 1000};
            while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
                ;
        }
        ZCHECK(zmq_msg_send(&msg, s, 0));
    }
    perf_hold(); /* a spawned echo closes only once the last reply arrived */
    zmq_msg_close(&msg);
    ZCHECK(zmq_close(s));
}

static void *echo_thread(void *p)
{
    struct args *a = p;
    echo_all(a->ctx, a->ep, a->total, a->think_us);
    return NULL;
}

int main(int argc, char **argv)
{
    struct perf_opts o = {0};
    struct args a;
    long long size, count, warmup = 100, think_us = 0;
    int msg_api = 0;
    const char *role;
    g_prog = "lat";
    g_usage = usage_text;
    o.extra_name = "warmup";
    o.more_names[0] = "api";
    o.more_names[1] = "think";
    o.more_names[2] = "curve";
    o.more_names[3] = "busy";
    perf_parse_opts(argc, argv, &o);
    if (o.npos != 3)
        perf_usage("expected ENDPOINT SIZE COUNT");
    if (!perf_valid_endpoint(o.pos[0]))
        perf_usage("ENDPOINT must be tcp://..., ipc://... or inproc://...");
    size = perf_parse_int(o.pos[1], 1, PERF_MAX_SIZE, "SIZE");
    count = perf_parse_int(o.pos[2], 1, 10000000LL, "COUNT");
    if (o.extra_val)
        warmup = perf_parse_int(o.extra_val, 0, 1000000LL, "--warmup");
    {
        const char *api = perf_opt(&o, "api");
        if (api && strcmp(api, "buf") && strcmp(api, "msg"))
            perf_usage("--api must be buf or msg");
        msg_api = api && !strcmp(api, "msg");
        const char *think = perf_opt(&o, "think");
        if (think)
            think_us = perf_parse_int(think, 0, 1000000LL, "--think");
        const char *curve = perf_opt(&o, "curve");
        if (curve)
            g_curve = (int)perf_parse_int(curve, 0, 1, "--curve");
        const char *busy = perf_opt(&o, "busy");
        if (busy)
            g_busy = (int)perf_parse_int(busy, 0, 1, "--busy");
        busy_unrealtime();
    }
    role = o.role ? o.role : "both";
    if (strcmp(role, "both") && strcmp(role, "req") && strcmp(role, "rep"))
        perf_usage("--role must be req or rep");
    if (perf_is_inproc(o.pos[0]) && strcmp(role, "both"))
        perf_usage("inproc needs both sides in one process (no --role)");
    snprintf(a.ep, sizeof a.ep, "%s", o.pos[0]);
    a.size = size;
    a.total = warmup + count;
    a.think_us = think_us;
    perf_set_timeout(o.timeout);

    if (!strcmp(role, "rep")) {
        void *ctx;
        if (perf_is_child())
            perf_become_child();
        ZCHECKP(ctx = zmq_ctx_new());
        echo_all(ctx, a.ep, a.total, a.think_us);
        ZCHECK(zmq_ctx_term(ctx));
        return 0;
    }

    void *ctx, *s;
    pthread_t th;
    const int threaded = perf_is_inproc(a.ep);
    uint64_t *samples = malloc((size_t)count * sizeof *samples);
    char *buf = malloc((size_t)size);
    zmq_msg_t msg;
    if (!samples || !buf)
        perf_fail("out_of_memory");
    memset(buf, 'l', (size_t)size);
    ZCHECKP(ctx = zmq_ctx_new());
    ZCHECKP(s = zmq_socket(ctx, ZMQ_REQ));
    if (g_curve) {
        perf_curve_keys();
        perf_curve_setup(s, 1);
    }
    {
        char resolved[256];
        perf_bind(s, a.ep, resolved, sizeof resolved);
        snprintf(a.ep, sizeof a.ep, "%s", resolved);
    }
    if (!strcmp(role, "both")) {
        if (threaded) {
            a.ctx = ctx;
            if (pthread_create(&th, NULL, echo_thread, &a) != 0)
                perf_fail("pthread_create");
        } else {
            char sizes[32], totals[32], tos[32];
            snprintf(sizes, sizeof sizes, "%lld", size);
            snprintf(totals, sizeof totals, "%lld", count);
            snprintf(tos, sizeof tos, "--timeout=%lld", o.timeout);
            char warm[40], think[40], curve[40], busy[40];
            snprintf(curve, sizeof curve, "--curve=%d", g_curve);
            snprintf(busy, sizeof busy, "--busy=%d", g_busy);
            snprintf(warm, sizeof warm, "--warmup=%lld", warmup);
            snprintf(think, sizeof think, "--think=%lld", think_us);
            char *cargv[] = {"lat",        tos,  warm,  think,  curve, busy,
                             "--role=rep", a.ep, sizes, totals, NULL};
            if (perf_spawn_self(cargv) < 0)
                perf_fail("spawn");
        }
    } else {
        fprintf(stderr, "lat: REQ bound on %s\n", a.ep);
    }
    if (msg_api) {
        ZCHECK(zmq_msg_init_size(&msg, (size_t)size));
        memset(zmq_msg_data(&msg), 'l', (size_t)size);
    } else {
        ZCHECK(zmq_msg_init(&msg));
    }
    for (long long i = 0; i < warmup + count; i++) {
        uint64_t t0 = perf_now_ns();
        if (msg_api)
            ZCHECK(zmq_msg_send(&msg, s, 0));
        else
            ZCHECK(zmq_send(s, buf, (size_t)size, 0));
        int n = recv_msg(&msg, s);
        if (n == -1)
            perf_zfail("zmq_msg_recv", __FILE__, __LINE__);
        if (n != size)
            perf_fail("wrong_message_size");
        if (i >= warmup)
            samples[i - warmup] = perf_now_ns() - t0;
        g_progress = i + 1;
    }
    zmq_msg_close(&msg);
    if (!strcmp(role, "both")) {
        if (threaded)
            pthread_join(th, NULL);
        else if (perf_wait_children())
            perf_fail("echo_failed");
    }
    ZCHECK(zmq_close(s));
    ZCHECK(zmq_ctx_term(ctx));
    double cpu = perf_cpu_secs(RUSAGE_SELF) + perf_cpu_secs(RUSAGE_CHILDREN);

    struct perf_lat_stats st = perf_lat_summary(samples, (size_t)count);
    perf_result_begin();
    printf(" transport=%s peer=%s api=%s size=%lld count=%lld warmup=%lld rtt_mean_us=%.3f "
           "rtt_median_us=%.3f rtt_p99_us=%.3f rtt_min_us=%.3f oneway_mean_us=%.3f cpu_s=%.4f "
           "cpu_s_per_m=%.4f think_us=%lld busy=%d\n",
           perf_transport(a.ep), threaded ? "thread" : "process", msg_api ? "msg" : "buf", size,
           count, warmup, st.mean_us, st.median_us, st.p99_us, st.min_us, st.mean_us / 2, cpu,
           cpu * 1e6 / (double)(warmup + count), think_us, g_busy);
    free(samples);
    free(buf);
    return 0;
}
