/* fanout: PUB/SUB fan-out throughput to N subscribers.
 *
 * This process binds a PUB socket on ENDPOINT and a PULL "sync" socket; it
 * starts NSUBS subscribers, each a separate process (tcp, ipc) or a thread
 * sharing the context (inproc). Each subscriber connects a SUB (subscribed to
 * everything) and a PUSH to the sync socket.
 *   1. Probe: the publisher sends empty messages every millisecond until every
 *      subscriber has answered "ready" (so no data is lost to slow joining).
 *   2. Data: COUNT messages of SIZE bytes, sent back to back. By default the
 *      PUB's ZMQ_SNDHWM is 0 (no limit), so nothing is dropped and the run
 *      measures how fast the library delivers to N peers. With --hwm N (1000
 *      is libzmq's default) PUB drops on a full pipe, so a subscriber may get
 *      fewer than COUNT: that loss is reported as delivered_frac.
 *   3. End: empty messages every 200 us until every subscriber has answered
 *      "done" with its count and times. A subscriber's time runs from its first
 *      data message to the first empty message after data.
 * Reported: delivered msgs/s per subscriber (mean and min), aggregate
 * delivered msgs/s (all messages received by all subscribers / span from the
 * earliest first message to the latest end), the fraction delivered, and the
 * publisher's send rate; cpu_s (user + system seconds of the whole run, this
 * process and the subscriber processes) and cpu_s_per_m (per million
 * messages delivered).
 */
#define PERF_USE_ZMQ
#include "common.h"

#include <pthread.h>

static const char usage_text[] =
    "usage: fanout [--timeout SEC] [--hwm N] ENDPOINT SIZE COUNT NSUBS\n"
    "  PUB/SUB fan-out: binds PUB on ENDPOINT (tcp://127.0.0.1:* is fine),\n"
    "  starts NSUBS subscribers as processes (tcp, ipc) or threads (inproc),\n"
    "  publishes COUNT messages of SIZE bytes.\n"
    "  SIZE: 1..268435456; COUNT: 2..1000000000; NSUBS: 1..64.\n"
    "  --hwm N: the PUB's ZMQ_SNDHWM, 0..1000000000; default 0 (no limit, so no\n"
    "  message is dropped and the run measures delivery; 1000 is libzmq's default,\n"
    "  with which PUB drops whatever the subscribers cannot take in time).\n"
    "  Prints: RESULT prog=fanout ok=1 ... sub_msgs_s_mean=X agg_msgs_s=X\n"
    "          delivered_frac=X pub_msgs_s=X\n";

#define MAX_SUBS 64

struct sub_args {
    void *ctx;
    char ep[256], sync_ep[256];
    long long size, count;
};

static void sub_run(void *ctx, const char *ep, const char *sync_ep, long long size)
{
    void *sub, *push;
    zmq_msg_t msg;
    int linger = -1, ready = 0;
    long long received = 0;
    uint64_t tfirst = 0, tend = 0;
    char line[128];
    ZCHECKP(sub = zmq_socket(ctx, ZMQ_SUB));
    ZCHECKP(push = zmq_socket(ctx, ZMQ_PUSH));
    ZCHECK(zmq_setsockopt(push, ZMQ_LINGER, &linger, sizeof linger));
    ZCHECK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0));
    ZCHECK(zmq_connect(sub, ep));
    ZCHECK(zmq_connect(push, sync_ep));
    ZCHECK(zmq_msg_init(&msg));
    for (;;) {
        int n = zmq_msg_recv(&msg, sub, 0);
        if (n == -1)
            perf_zfail("zmq_msg_recv", __FILE__, __LINE__);
        if (n == size) {
            if (received++ == 0)
                tfirst = perf_now_ns();
        } else if (n == 0) {
            if (!ready) {
                ZCHECK(zmq_send(push, "R", 1, 0));
                ready = 1;
            } else if (received > 0) {
                tend = perf_now_ns();
                break;
            } /* else: a probe still queued from before data began */
        } else {
            perf_fail("wrong_message_size");
        }
    }
    zmq_msg_close(&msg);
    snprintf(line, sizeof line, "D %lld %" PRIu64 " %" PRIu64, received, tfirst, tend);
    ZCHECK(zmq_send(push, line, strlen(line), 0));
    perf_hold(); /* a subscriber process closes only once the publisher has all reports */
    ZCHECK(zmq_close(sub));
    ZCHECK(zmq_close(push));
}

static void *sub_thread(void *p)
{
    struct sub_args *a = p;
    sub_run(a->ctx, a->ep, a->sync_ep, a->size);
    return NULL;
}

/* Drains "R"/"D ..." answers from the sync socket without blocking. */
struct tally {
    int ready, done;
    long long received[MAX_SUBS];
    uint64_t tfirst[MAX_SUBS], tend[MAX_SUBS];
};

static void drain_sync(void *sync, struct tally *t)
{
    char line[128];
    for (;;) {
        int n = zmq_recv(sync, line, sizeof line - 1, ZMQ_DONTWAIT);
        if (n == -1) {
            if (zmq_errno() == EAGAIN)
                return;
            perf_zfail("zmq_recv(sync)", __FILE__, __LINE__);
        }
        if (n >= (int)sizeof line)
            perf_fail("bad_sync_message");
        line[n] = '\0';
        if (line[0] == 'R') {
            t->ready++;
        } else if (line[0] == 'D' && t->done < MAX_SUBS) {
            long long r;
            uint64_t a, b;
            if (sscanf(line, "D %lld %" SCNu64 " %" SCNu64, &r, &a, &b) != 3)
                perf_fail("bad_sync_message");
            t->received[t->done] = r;
            t->tfirst[t->done] = a;
            t->tend[t->done] = b;
            t->done++;
        } else {
            perf_fail("bad_sync_message");
        }
    }
}

int main(int argc, char **argv)
{
    struct perf_opts o = {0};
    struct sub_args a;
    long long nsubs;
    int hwm = 0;
    const char *role;
    g_prog = "fanout";
    g_usage = usage_text;
    o.extra_name = "hwm";
    perf_parse_opts(argc, argv, &o);
    if (o.extra_val)
        hwm = (int)perf_parse_int(o.extra_val, 0, 1000000000LL, "--hwm");
    role = o.role ? o.role : "pub";
    if (strcmp(role, "pub") && strcmp(role, "sub"))
        perf_usage("--role must be sub (internal) or absent");
    if (o.npos != 4)
        perf_usage("expected ENDPOINT SIZE COUNT NSUBS");
    if (!perf_valid_endpoint(o.pos[0]))
        perf_usage("ENDPOINT must be tcp://..., ipc://... or inproc://...");
    a.size = perf_parse_int(o.pos[1], 1, PERF_MAX_SIZE, "SIZE");
    a.count = perf_parse_int(o.pos[2], 2, 1000000000LL, "COUNT");
    snprintf(a.ep, sizeof a.ep, "%s", o.pos[0]);
    perf_set_timeout(o.timeout);

    if (!strcmp(role, "sub")) {
        /* internal: fanout --role=sub DATA_EP SIZE COUNT SYNC_EP */
        void *ctx;
        perf_become_child();
        if (!perf_valid_endpoint(o.pos[3]))
            perf_usage("bad SYNC_EP");
        ZCHECKP(ctx = zmq_ctx_new());
        sub_run(ctx, a.ep, o.pos[3], a.size);
        ZCHECK(zmq_ctx_term(ctx));
        return 0;
    }
    nsubs = perf_parse_int(o.pos[3], 1, MAX_SUBS, "NSUBS");

    void *ctx, *pub, *sync;
    const int threaded = perf_is_inproc(a.ep);
    pthread_t th[MAX_SUBS];
    struct tally t;
    char *buf = malloc((size_t)a.size);
    if (!buf)
        perf_fail("out_of_memory");
    memset(buf, 'f', (size_t)a.size);
    memset(&t, 0, sizeof t);
    ZCHECKP(ctx = zmq_ctx_new());
    ZCHECKP(pub = zmq_socket(ctx, ZMQ_PUB));
    ZCHECK(zmq_setsockopt(pub, ZMQ_SNDHWM, &hwm, sizeof hwm));
    ZCHECKP(sync = zmq_socket(ctx, ZMQ_PULL));
    {
        char resolved[256];
        perf_bind(pub, a.ep, resolved, sizeof resolved);
        snprintf(a.ep, sizeof a.ep, "%s", resolved);
        perf_bind(sync, threaded ? "inproc://monocoque-perf-fanout-sync" : "tcp://127.0.0.1:*",
                  resolved, sizeof resolved);
        snprintf(a.sync_ep, sizeof a.sync_ep, "%s", resolved);
    }
    a.ctx = ctx;
    for (int i = 0; i < nsubs; i++) {
        if (threaded) {
            if (pthread_create(&th[i], NULL, sub_thread, &a) != 0)
                perf_fail("pthread_create");
        } else {
            char sizes[32], counts[32], tos[32];
            snprintf(sizes, sizeof sizes, "%lld", a.size);
            snprintf(counts, sizeof counts, "%lld", a.count);
            snprintf(tos, sizeof tos, "--timeout=%lld", o.timeout);
            char *cargv[] = {"fanout", tos, "--role=sub", a.ep, sizes, counts, a.sync_ep, NULL};
            if (perf_spawn_self(cargv) < 0)
                perf_fail("spawn");
        }
    }
    /* 1. probe until every subscriber receives */
    while (t.ready < nsubs) {
        if (zmq_send(pub, "", 0, ZMQ_DONTWAIT) == -1 && zmq_errno() != EAGAIN)
            perf_zfail("zmq_send(probe)", __FILE__, __LINE__);
        usleep(1000);
        drain_sync(sync, &t);
    }
    /* 2. data */
    uint64_t t0 = perf_now_ns();
    for (long long i = 0; i < a.count; i++)
        ZCHECK(zmq_send(pub, buf, (size_t)a.size, 0));
    uint64_t t1 = perf_now_ns();
    /* 3. end markers until every subscriber reports */
    while (t.done < nsubs) {
        if (zmq_send(pub, "", 0, ZMQ_DONTWAIT) == -1 && zmq_errno() != EAGAIN)
            perf_zfail("zmq_send(end)", __FILE__, __LINE__);
        drain_sync(sync, &t);
        if (t.done < nsubs)
            usleep(200);
    }
    if (threaded) {
        for (int i = 0; i < nsubs; i++)
            pthread_join(th[i], NULL);
    } else if (perf_wait_children()) {
        perf_fail("subscriber_failed");
    }
    ZCHECK(zmq_close(pub));
    ZCHECK(zmq_close(sync));
    ZCHECK(zmq_ctx_term(ctx));
    double cpu = perf_cpu_secs(RUSAGE_SELF) + perf_cpu_secs(RUSAGE_CHILDREN);

    long long total = 0;
    double rate_sum = 0, rate_min = -1;
    uint64_t first = UINT64_MAX, last = 0;
    for (int i = 0; i < nsubs; i++) {
        double secs = (double)(t.tend[i] - t.tfirst[i]) / 1e9;
        double r = secs > 0 ? (double)t.received[i] / secs : 0;
        total += t.received[i];
        rate_sum += r;
        if (rate_min < 0 || r < rate_min)
            rate_min = r;
        if (t.tfirst[i] < first)
            first = t.tfirst[i];
        if (t.tend[i] > last)
            last = t.tend[i];
    }
    double span = (double)(last - first) / 1e9;
    double agg = span > 0 ? (double)total / span : 0;
    perf_result_begin();
    printf(" transport=%s peer=%s size=%lld count=%lld nsubs=%lld hwm=%d sub_msgs_s_mean=%.1f "
           "sub_msgs_s_min=%.1f agg_msgs_s=%.1f agg_mb_s=%.3f delivered_frac=%.4f pub_msgs_s=%.1f "
           "span_secs=%.6f cpu_s=%.4f cpu_s_per_m=%.4f\n",
           perf_transport(a.ep), threaded ? "thread" : "process", a.size, a.count, nsubs, hwm,
           rate_sum / (double)nsubs, rate_min, agg, agg * (double)a.size / 1e6,
           (double)total / ((double)a.count * (double)nsubs), (double)a.count / ((double)(t1 - t0) / 1e9),
           span, cpu, total > 0 ? cpu * 1e6 / (double)total : 0);
    free(buf);
    return 0;
}
