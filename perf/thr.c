/* thr: one-way PUSH/PULL throughput, through any of the send and receive
 * paths of the API.
 *
 * The receiver (this process) binds a PULL socket; the sender connects a PUSH
 * socket and sends COUNT messages of PARTS frames of SIZE bytes each. The
 * receiver checks every frame's size and the MORE flag of every part, and
 * times from the first message to the last: rate = (COUNT-1) / (t_last -
 * t_first). The sender is a second process (tcp, ipc) or a thread sharing
 * the context (inproc). Default socket options (HWM 1000) on both sides, so
 * what is measured is the library's own batching.
 *
 * Send paths (--send):
 *   buf  zmq_send from one pre-filled buffer (default)
 *   msg  zmq_msg_init_size, fill the body (memset), zmq_msg_send,
 *        zmq_msg_close: libzmq's remote_thr, plus the fill a real sender does
 *   zc   zero copy: malloc a buffer, fill it, zmq_msg_init_data with a free
 *        function (free), zmq_msg_send, zmq_msg_close
 *   iov  zmq_sendiov of all PARTS frames in one call (pre-filled buffers)
 * Receive paths (--recv):
 *   msg  zmq_msg_recv into one reused zmq_msg_t (libzmq's local_thr; default)
 *   buf  zmq_recv into a buffer of SIZE bytes
 *
 * CPU: cpu_s = user + system seconds of the whole run (this process, all its
 * threads, plus the sender process once it has exited), cpu_s_per_m = that
 * per million messages.
 */
#define PERF_USE_ZMQ
#include "common.h"

#include <pthread.h>
#include <sys/uio.h>

static const char usage_text[] =
    "usage: thr [--timeout SEC] [--send buf|msg|zc|iov] [--recv msg|buf] [--parts N] [--curve 0|1]\n"
    "           ENDPOINT SIZE COUNT\n"
    "       thr [options] --role recv|send ENDPOINT SIZE COUNT\n"
    "  Measures one-way PUSH/PULL throughput: this process binds PULL on ENDPOINT\n"
    "  (tcp://127.0.0.1:* is fine) and starts the PUSH sender as a second\n"
    "  process (tcp, ipc) or a thread (inproc). --role runs one side only:\n"
    "  recv binds and reports, send connects and sends.\n"
    "  SIZE: bytes per frame, 1..268435456; COUNT: messages, 2..1000000000;\n"
    "  PARTS: frames per message, 1..16 (default 1).\n"
    "  --send: buf = zmq_send, msg = zmq_msg_init_size + fill + zmq_msg_send +\n"
    "  zmq_msg_close, zc = zmq_msg_init_data (malloc'd, freed by the library),\n"
    "  iov = zmq_sendiov. --recv: msg = zmq_msg_recv into one reused message,\n"
    "  buf = zmq_recv into a buffer. --curve=1: CURVE on both sides (PULL is the\n"
    "  server; keys from zmq_curve_keypair once per run).\n"
    "  Prints: RESULT prog=thr ok=1 ... msgs_s=N mb_s=N cpu_s=X cpu_s_per_m=X\n"
    "  (MB = 10^6 bytes; cpu = user+system seconds, both processes)\n";

enum send_mode { SEND_BUF, SEND_MSG, SEND_ZC, SEND_IOV };
enum recv_mode { RECV_MSG, RECV_BUF };

static const char *const send_names[] = {"buf", "msg", "zc", "iov"};
static const char *const recv_names[] = {"msg", "buf"};

struct args {
    void *ctx;
    char ep[256];
    long long size, count, parts;
    enum send_mode send;
    enum recv_mode recv;
    int curve; /* --curve=1: PULL is the CURVE server, PUSH the client */
};

static void free_body(void *data, void *hint)
{
    (void)hint;
    free(data);
}

static void send_all(const struct args *a)
{
    void *s;
    int linger = -1;
    size_t size = (size_t)a->size;
    int parts = (int)a->parts;
    struct iovec iov[16];
    char *buf = malloc(size);
    if (!buf)
        perf_fail("out of memory");
    memset(buf, 'm', size);
    for (int p = 0; p < parts; p++) {
        iov[p].iov_base = buf;
        iov[p].iov_len = size;
    }
    ZCHECKP(s = zmq_socket(a->ctx, ZMQ_PUSH));
    ZCHECK(zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger));
    if (a->curve)
        perf_curve_setup(s, 0);
    ZCHECK(zmq_connect(s, a->ep));
    for (long long i = 0; i < a->count; i++) {
        if (a->send == SEND_IOV) {
            /* as in libzmq, the flags go with every part but the last: a
             * multipart message needs ZMQ_SNDMORE here */
            ZCHECK(zmq_sendiov(s, iov, (size_t)parts, parts > 1 ? ZMQ_SNDMORE : 0));
            continue;
        }
        for (int p = 0; p < parts; p++) {
            int flags = p + 1 < parts ? ZMQ_SNDMORE : 0;
            zmq_msg_t msg;
            switch (a->send) {
            case SEND_BUF:
                ZCHECK(zmq_send(s, buf, size, flags));
                break;
            case SEND_MSG:
                ZCHECK(zmq_msg_init_size(&msg, size));
                memset(zmq_msg_data(&msg), 'm', size);
                ZCHECK(zmq_msg_send(&msg, s, flags));
                ZCHECK(zmq_msg_close(&msg));
                break;
            case SEND_ZC: {
                char *body = malloc(size);
                if (!body)
                    perf_fail("out of memory");
                memset(body, 'm', size);
                ZCHECK(zmq_msg_init_data(&msg, body, size, free_body, NULL));
                ZCHECK(zmq_msg_send(&msg, s, flags));
                ZCHECK(zmq_msg_close(&msg));
                break;
            }
            case SEND_IOV:
                break;
            }
        }
    }
    perf_hold(); /* a spawned sender closes only once the receiver has all */
    ZCHECK(zmq_close(s)); /* linger -1: the context term below waits for delivery */
    free(buf);
}

static void *sender_thread(void *p)
{
    send_all(p);
    return NULL;
}

/* Returns nanoseconds between the first and the last message. */
static uint64_t recv_all(void *s, const struct args *a)
{
    zmq_msg_t msg;
    uint64_t t0 = 0;
    int parts = (int)a->parts;
    char *buf = NULL;
    if (a->recv == RECV_BUF && !(buf = malloc((size_t)a->size)))
        perf_fail("out of memory");
    ZCHECK(zmq_msg_init(&msg));
    for (long long i = 0; i < a->count; i++) {
        for (int p = 0; p < parts; p++) {
            int n, more;
            if (a->recv == RECV_MSG) {
                n = zmq_msg_recv(&msg, s, 0);
                if (n == -1)
                    perf_zfail("zmq_msg_recv", __FILE__, __LINE__);
                more = parts > 1 ? zmq_msg_more(&msg) : 0;
            } else {
                n = zmq_recv(s, buf, (size_t)a->size, 0);
                if (n == -1)
                    perf_zfail("zmq_recv", __FILE__, __LINE__);
                more = 0;
                if (parts > 1) {
                    size_t len = sizeof more;
                    ZCHECK(zmq_getsockopt(s, ZMQ_RCVMORE, &more, &len));
                }
            }
            if (n != a->size)
                perf_fail("wrong_message_size");
            if (more != (p + 1 < parts))
                perf_fail("wrong_more_flag");
        }
        if (i == 0)
            t0 = perf_now_ns();
        g_progress = i + 1;
    }
    uint64_t t1 = perf_now_ns();
    zmq_msg_close(&msg);
    free(buf);
    return t1 - t0;
}

static int pick(const char *v, const char *const *names, int n, const char *what)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(v, names[i]))
            return i;
    perf_usage(what);
    return 0;
}

int main(int argc, char **argv)
{
    struct perf_opts o = {0};
    struct args a;
    const char *role, *v;
    char sizes[32], counts[32], tos[32], sendo[32], partso[32], curveo[32];
    g_prog = "thr";
    g_usage = usage_text;
    o.more_names[0] = "send";
    o.more_names[1] = "recv";
    o.more_names[2] = "parts";
    o.more_names[3] = "curve";
    perf_parse_opts(argc, argv, &o);
    if (o.npos != 3)
        perf_usage("expected ENDPOINT SIZE COUNT");
    if (!perf_valid_endpoint(o.pos[0]))
        perf_usage("ENDPOINT must be tcp://..., ipc://... or inproc://...");
    a.size = perf_parse_int(o.pos[1], 1, PERF_MAX_SIZE, "SIZE");
    a.count = perf_parse_int(o.pos[2], 2, 1000000000LL, "COUNT");
    a.send = (v = perf_opt(&o, "send")) ? pick(v, send_names, 4, "--send must be buf, msg, zc or iov")
                                          : SEND_BUF;
    a.recv = (v = perf_opt(&o, "recv")) ? pick(v, recv_names, 2, "--recv must be msg or buf")
                                          : RECV_MSG;
    a.parts = (v = perf_opt(&o, "parts")) ? perf_parse_int(v, 1, 16, "--parts") : 1;
    a.curve = (v = perf_opt(&o, "curve")) ? (int)perf_parse_int(v, 0, 1, "--curve") : 0;
    snprintf(a.ep, sizeof a.ep, "%s", o.pos[0]);
    role = o.role ? o.role : "both";
    if (strcmp(role, "both") && strcmp(role, "recv") && strcmp(role, "send"))
        perf_usage("--role must be recv or send");
    if (perf_is_inproc(a.ep) && strcmp(role, "both"))
        perf_usage("inproc needs both sides in one process (no --role)");
    perf_set_timeout(o.timeout);

    if (!strcmp(role, "send")) {
        if (perf_is_child())
            perf_become_child();
        ZCHECKP(a.ctx = zmq_ctx_new());
        uint64_t t0 = perf_now_ns();
        send_all(&a);
        ZCHECK(zmq_ctx_term(a.ctx));
        double secs = (double)(perf_now_ns() - t0) / 1e9;
        if (perf_is_child())
            return 0; /* the receiver's line is the result */
        double cpu = perf_cpu_secs(RUSAGE_SELF);
        perf_result_begin();
        printf(" role=send transport=%s send=%s parts=%lld size=%lld count=%lld secs=%.6f msgs_s=%.1f "
               "cpu_s=%.4f cpu_s_per_m=%.4f\n",
               perf_transport(a.ep), send_names[a.send], a.parts, a.size, a.count, secs,
               (double)a.count / secs, cpu, cpu * 1e6 / (double)a.count);
        return 0;
    }

    void *s;
    pthread_t th;
    const int threaded = perf_is_inproc(a.ep);
    ZCHECKP(a.ctx = zmq_ctx_new());
    ZCHECKP(s = zmq_socket(a.ctx, ZMQ_PULL));
    if (a.curve) {
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
            if (pthread_create(&th, NULL, sender_thread, &a) != 0)
                perf_fail("pthread_create");
        } else {
            snprintf(sizes, sizeof sizes, "%lld", a.size);
            snprintf(counts, sizeof counts, "%lld", a.count);
            snprintf(tos, sizeof tos, "--timeout=%lld", o.timeout);
            snprintf(sendo, sizeof sendo, "--send=%s", send_names[a.send]);
            snprintf(partso, sizeof partso, "--parts=%lld", a.parts);
            snprintf(curveo, sizeof curveo, "--curve=%d", a.curve);
            char *cargv[] = {"thr", tos, sendo, partso, curveo, "--role=send", a.ep, sizes, counts, NULL};
            if (perf_spawn_self(cargv) < 0)
                perf_fail("spawn");
        }
    } else {
        fprintf(stderr, "thr: receiving on %s\n", a.ep);
    }
    uint64_t ns = recv_all(s, &a);
    if (!strcmp(role, "both")) {
        if (threaded)
            pthread_join(th, NULL);
        else if (perf_wait_children())
            perf_fail("sender_failed");
    }
    ZCHECK(zmq_close(s));
    ZCHECK(zmq_ctx_term(a.ctx));
    double cpu = perf_cpu_secs(RUSAGE_SELF) + perf_cpu_secs(RUSAGE_CHILDREN);

    double secs = (double)ns / 1e9;
    double rate = secs > 0 ? (double)(a.count - 1) / secs : 0;
    perf_result_begin();
    printf(" role=recv transport=%s peer=%s send=%s recv=%s parts=%lld curve=%d size=%lld count=%lld "
           "secs=%.6f msgs_s=%.1f mb_s=%.3f cpu_s=%.4f cpu_s_per_m=%.4f\n",
           perf_transport(a.ep), threaded ? "thread" : "process", send_names[a.send],
           recv_names[a.recv], a.parts, a.curve, a.size, a.count, secs, rate,
           rate * (double)(a.size * a.parts) / 1e6, cpu, cpu * 1e6 / (double)a.count);
    return 0;
}
