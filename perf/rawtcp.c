/* rawtcp: the floor, plain TCP over loopback between two processes, no zmq.
 *
 *   rawtcp bw CHUNK COUNT      the child writes COUNT chunks of CHUNK bytes
 *                              (write() until all is written), the parent
 *                              reads with a buffer of max(CHUNK, 256 KiB) and
 *                              times from the first read to the end of the
 *                              stream: mb_s counts the bytes after the first
 *                              read (MB = 10^6 bytes).
 *   rawtcp pingpong SIZE COUNT the parent sends SIZE bytes, the child echoes
 *                              them; blocking sockets, TCP_NODELAY. After 100
 *                              untimed round trips each of COUNT is timed:
 *                              rtt_* in microseconds, oneway = rtt / 2.
 * Both ends are blocking: this is one wakeup per direction plus syscalls,
 * the least any library can do over TCP.
 */
#include "common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static const char usage_text[] =
    "usage: rawtcp [--timeout SEC] bw CHUNK COUNT\n"
    "       rawtcp [--timeout SEC] pingpong SIZE COUNT\n"
    "  Raw loopback TCP between two processes (the floor for the zmq numbers).\n"
    "  bw: COUNT writes of CHUNK bytes, one way; CHUNK 1..268435456,\n"
    "      COUNT 1..1000000000. Prints mb_s (MB = 10^6 bytes).\n"
    "  pingpong: COUNT timed round trips of SIZE bytes; SIZE 1..16777216,\n"
    "      COUNT 1..10000000. Prints rtt_mean_us, rtt_median_us, oneway_mean_us.\n";

static void die(const char *what)
{
    fprintf(stderr, "rawtcp: %s: %s\n", what, strerror(errno));
    perf_kill_children();
    printf("RESULT prog=rawtcp ok=0 error=%s\n", what);
    fflush(stdout);
    exit(1);
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            die("write");
        }
        p += w;
        n -= (size_t)w;
    }
}

static void read_all(int fd, char *p, size_t n)
{
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            die("read");
        p += r;
        n -= (size_t)r;
    }
}

static void nodelay(int fd)
{
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
        die("TCP_NODELAY");
}

int main(int argc, char **argv)
{
    struct perf_opts o = {0};
    const char *mode;
    long long size, count;
    g_prog = "rawtcp";
    g_usage = usage_text;
    perf_parse_opts(argc, argv, &o);
    if (o.role)
        perf_usage("no --role here");
    if (o.npos != 3)
        perf_usage("expected MODE SIZE COUNT");
    mode = o.pos[0];
    if (!strcmp(mode, "bw")) {
        size = perf_parse_int(o.pos[1], 1, PERF_MAX_SIZE, "CHUNK");
        count = perf_parse_int(o.pos[2], 1, 1000000000LL, "COUNT");
    } else if (!strcmp(mode, "pingpong")) {
        size = perf_parse_int(o.pos[1], 1, 16L * 1024 * 1024, "SIZE");
        count = perf_parse_int(o.pos[2], 1, 10000000LL, "COUNT");
    } else {
        perf_usage("MODE must be bw or pingpong");
        return 2;
    }
    perf_set_timeout(o.timeout);

    struct sockaddr_in addr;
    socklen_t alen = sizeof addr;
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    if (lfd < 0)
        die("socket");
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) || listen(lfd, 1) ||
        getsockname(lfd, (struct sockaddr *)&addr, &alen))
        die("listen");

    const long long warmup = 100;
    size_t bufcap = (size_t)size > 262144 ? (size_t)size : 262144;
    char *buf = malloc(bufcap);
    if (!buf)
        die("malloc");
    memset(buf, 'r', bufcap);

    pid_t pid = perf_fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        close(lfd);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr))
            die("connect");
        if (!strcmp(mode, "bw")) {
            for (long long i = 0; i < count; i++)
                write_all(fd, buf, (size_t)size);
        } else {
            nodelay(fd);
            for (long long i = 0; i < warmup + count; i++) {
                read_all(fd, buf, (size_t)size);
                write_all(fd, buf, (size_t)size);
            }
        }
        close(fd);
        _exit(0);
    }
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0)
        die("accept");
    close(lfd);

    if (!strcmp(mode, "bw")) {
        long long total = size * count, got = 0, first = 0;
        uint64_t t0 = 0;
        while (got < total) {
            ssize_t r = read(fd, buf, bufcap);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                die("read");
            if (got == 0) {
                t0 = perf_now_ns();
                first = r;
            }
            got += r;
        }
        uint64_t t1 = perf_now_ns();
        if (perf_wait_children())
            die("child");
        double secs = (double)(t1 - t0) / 1e9;
        double mbs = secs > 0 ? (double)(total - first) / secs / 1e6 : 0;
        printf("RESULT prog=rawtcp ok=1 mode=bw chunk=%lld count=%lld bytes=%lld secs=%.6f mb_s=%.3f\n",
               size, count, total, secs, mbs);
    } else {
        uint64_t *samples = malloc((size_t)count * sizeof *samples);
        if (!samples)
            die("malloc");
        nodelay(fd);
        for (long long i = 0; i < warmup + count; i++) {
            uint64_t t0 = perf_now_ns();
            write_all(fd, buf, (size_t)size);
            read_all(fd, buf, (size_t)size);
            if (i >= warmup)
                samples[i - warmup] = perf_now_ns() - t0;
        }
        if (perf_wait_children())
            die("child");
        struct perf_lat_stats st = perf_lat_summary(samples, (size_t)count);
        printf("RESULT prog=rawtcp ok=1 mode=pingpong size=%lld count=%lld warmup=%lld "
               "rtt_mean_us=%.3f rtt_median_us=%.3f rtt_p99_us=%.3f rtt_min_us=%.3f "
               "oneway_mean_us=%.3f\n",
               size, count, warmup, st.mean_us, st.median_us, st.p99_us, st.min_us, st.mean_us / 2);
        free(samples);
    }
    close(fd);
    free(buf);
    return 0;
}
