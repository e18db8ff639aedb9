/* thr: one-way PUSH/PULL throughput.
 *
 * The receiver (this process) binds a PULL socket; the sender connects a PUSH
 * socket and sends COUNT messages of SIZE bytes with zmq_send from a
 * pre-filled buffer. The receiver takes them with zmq_msg_recv, checks each
 * size, and times from the first message to the last: rate = (COUNT-1) /
 * (t_last - t_first). The sender is a second process (tcp, ipc) or a thread
 * sharing the context (inproc). Default socket options (HWM 1000) on both
 * sides, so what is measured is the library's own batching.
 */
#define PERF_USE_ZMQ
#include "common.h"

#include <pthread.h>

static const char usage_text[] =
    "usage: thr [--timeout SEC] ENDPOINT SIZE COUNT\n"
    "       thr [--timeout SEC] --role recv|send ENDPOINT SIZE COUNT\n"
    "  Measures one-way PUSH/PULL throughput: this process binds PULL on ENDPOINT\n"
    "  (tcp://127.0.0.1:* is fine) and starts the PUSH sender as a second\n"
    "  process (tcp, ipc) or a thread (inproc). --role runs one side only:\n"
    "  recv binds and reports, send connects and sends.\n"
    "  SIZE: message bytes, 1..268435456; COUNT: messages, 2..1000000000.\n"
    "  Prints: RESULT prog=thr ok=1 ... msgs_s=N mb_s=N (MB = 10^6 bytes)\n";

struct args {
    void *ctx;
    char ep[256];
    long long size, count;
};

static void send_all(void *ctx, const char *ep, long long size, long long count)
{
    void *s;
    int linger = -1;
    char *buf = malloc((size_t)size);
    if (!buf)
        perf_fail("out of memory");
    memset(buf, 'm', (size_t)size);
    ZCHECKP(s = zmq_socket(ctx, ZMQ_PUSH));
    ZCHECK(zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger));
    ZCHECK(zmq_connect(s, ep));
    for (long long i = 0; i < count; i++)
        ZCHECK(zmq_send(s, buf, (size_t)size, 0));
    perf_hold(); /* a spawned sender closes only once the receiver has all */
    ZCHECK(zmq_close(s)); /* linger -1: the context term below waits for delivery */
    free(buf);
}

static void *sender_thread(void *p)
{
    struct args *a = p;
    send_all(a->ctx, a->ep, a->size, a->count);
    return NULL;
}

/* Returns nanoseconds between the first and the last message. */
static uint64_t recv_all(void *s, long long size, long long count)
{
    zmq_msg_t msg;
    uint64_t t0 = 0;
    ZCHECK(zmq_msg_init(&msg));
    for (long long i = 0; i < count; i++) {
        int n = zmq_msg_recv(&msg, s, 0);
        if (n == -1)
            perf_zfail("zmq_msg_recv", __FILE__, __LINE__);
        if (n != size)
            perf_fail("wrong_message_size");
        if (i == 0)
            t0 = perf_now_ns();
        g_progress = i + 1;
    }
    uint64_t t1 = perf_now_ns();
    zmq_msg_close(&msg);
    return t1 - t0;
}

int main(int argc, char **argv)
{
    struct perf_opts o = {0};
    struct args a;
    const char *role;
    char sizes[32], counts[32], tos[32];
    g_prog = "thr";
    g_usage = usage_text;
    perf_parse_opts(argc, argv, &o);
    if (o.npos != 3)
        perf_usage("expected ENDPOINT SIZE COUNT");
    if (!perf_valid_endpoint(o.pos[0]))
        perf_usage("ENDPOINT must be tcp://..., ipc://... or inproc://...");
    a.size = perf_parse_int(o.pos[1], 1, PERF_MAX_SIZE, "SIZE");
    a.count = perf_parse_int(o.pos[2], 2, 1000000000LL, "COUNT");
    snprintf(a.ep, sizeof a.ep, "%s", o.pos[0]);
    role = o.role ? o.role : "both";
    if (strcmp(role, "both") && strcmp(role, "recv") && strcmp(role, "send"))
        perf_usage("--role must be recv or send");
    if (perf_is_inproc(a.ep) && strcmp(role, "both"))
        perf_usage("inproc needs both sides in one process (no --role)");
    perf_set_timeout(o.timeout);

    if (!strcmp(role, "send")) {
        void *ctx;
        if (perf_is_child())
            perf_become_child();
        ZCHECKP(ctx = zmq_ctx_new());
        uint64_t t0 = perf_now_ns();
        send_all(ctx, a.ep, a.size, a.count);
        ZCHECK(zmq_ctx_term(ctx));
        double secs = (double)(perf_now_ns() - t0) / 1e9;
        if (perf_is_child())
            return 0; /* the receiver's line is the result */
        perf_result_begin();
        printf(" role=send transport=%s size=%lld count=%lld secs=%.6f msgs_s=%.1f\n",
               perf_transport(a.ep), a.size, a.count, secs, (double)a.count / secs);
        return 0;
    }

    void *ctx, *s;
    pthread_t th;
    const int threaded = perf_is_inproc(a.ep);
    ZCHECKP(ctx = zmq_ctx_new());
    ZCHECKP(s = zmq_socket(ctx, ZMQ_PULL));
    {
        char resolved[256];
        perf_bind(s, a.ep, resolved, sizeof resolved);
        snprintf(a.ep, sizeof a.ep, "%s", resolved);
    }
    if (!strcmp(role, "both")) {
        if (threaded) {
            a.ctx = ctx;
            if (pthread_create(&th, NULL, sender_thread, &a) != 0)
                perf_fail("pthread_create");
        } else {
            snprintf(sizes, sizeof sizes, "%lld", a.size);
            snprintf(counts, sizeof counts, "%lld", a.count);
            snprintf(tos, sizeof tos, "--timeout=%lld", o.timeout);
            char *cargv[] = {"thr", tos, "--role=send", a.ep, sizes, counts, NULL};
            if (perf_spawn_self(cargv) < 0)
                perf_fail("spawn");
        }
    } else {
        fprintf(stderr, "thr: receiving on %s\n", a.ep);
    }
    uint64_t ns = recv_all(s, a.size, a.count);
    if (!strcmp(role, "both")) {
        if (threaded)
            pthread_join(th, NULL);
        else if (perf_wait_children())
            perf_fail("sender_failed");
    }
    ZCHECK(zmq_close(s));
    ZCHECK(zmq_ctx_term(ctx));

    double secs = (double)ns / 1e9;
    double rate = secs > 0 ? (double)(a.count - 1) / secs : 0;
    perf_result_begin();
    printf(" role=recv transport=%s peer=%s size=%lld count=%lld secs=%.6f msgs_s=%.1f mb_s=%.3f\n",
           perf_transport(a.ep), threaded ? "thread" : "process", a.size, a.count, secs, rate,
           rate * (double)a.size / 1e6);
    return 0;
}
