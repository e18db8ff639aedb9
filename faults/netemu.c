/* netemu: a packet-level link emulator for kernels without sch_netem.
 *
 * It binds an nfnetlink queue (iptables ... -j NFQUEUE --queue-num N) and
 * gives every queued packet its verdict later: dropped with probability
 * LOSS, accepted at once with probability REORDER (so it overtakes the
 * delayed ones, as netem's "reorder"), otherwise accepted after
 * DELAY +- JITTER ms (uniform, as netem without a distribution table, which
 * reorders packets too). The packets are the kernel's own: TCP on both ends
 * sees real delay, loss and reordering, nothing is proxied. The kernel
 * segments GSO packets before queueing them, so each verdict is for one
 * wire-sized packet.
 *
 *   netemu QUEUE DELAY_MS JITTER_MS LOSS_PCT REORDER_PCT SEED
 *
 * Runs until SIGTERM/SIGINT, then prints its counters on stdout.
 * Raw netlink, no library. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static void on_sig(int s) { (void)s; stop = 1; }

static uint64_t rng;
static uint64_t rnd(void) {
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng;
}
static double urand(void) { return (rnd() >> 11) * (1.0 / 9007199254740992.0); }

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* min-heap of (due, id) */
struct held { uint64_t due; uint32_t id; };
static struct held *heap;
static size_t nheap, capheap;
static void hpush(uint64_t due, uint32_t id) {
    if (nheap == capheap) {
        capheap = capheap ? capheap * 2 : 4096;
        heap = realloc(heap, capheap * sizeof *heap);
        if (!heap) { perror("realloc"); exit(1); }
    }
    size_t i = nheap++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (heap[p].due <= due) break;
        heap[i] = heap[p]; i = p;
    }
    heap[i].due = due; heap[i].id = id;
}
static struct held hpop(void) {
    struct held top = heap[0], last = heap[--nheap];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= nheap) break;
        if (c + 1 < nheap && heap[c + 1].due < heap[c].due) c++;
        if (heap[c].due >= last.due) break;
        heap[i] = heap[c]; i = c;
    }
    if (nheap) heap[i] = last;
    return top;
}

static int fd;
static uint16_t queue;
static uint32_t seq;

static void put_attr(char *buf, size_t *off, uint16_t type, const void *data, uint16_t len) {
    struct nlattr *a = (struct nlattr *)(buf + *off);
    a->nla_len = NLA_HDRLEN + len;
    a->nla_type = type;
    memcpy(buf + *off + NLA_HDRLEN, data, len);
    *off += NLA_ALIGN(a->nla_len);
}

static size_t begin(char *buf, uint16_t msg, uint16_t flags) {
    struct nlmsghdr *h = (struct nlmsghdr *)buf;
    memset(buf, 0, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg)));
    h->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | msg;
    h->nlmsg_flags = NLM_F_REQUEST | flags;
    h->nlmsg_seq = ++seq;
    struct nfgenmsg *g = (struct nfgenmsg *)(buf + NLMSG_HDRLEN);
    g->nfgen_family = AF_UNSPEC;
    g->version = NFNETLINK_V0;
    g->res_id = htons(queue);
    return NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg));
}

static int sendmsg_nl(char *buf, size_t len) {
    ((struct nlmsghdr *)buf)->nlmsg_len = len;
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
    if (sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof sa) < 0) return -1;
    return 0;
}

/* Sends a config message and waits for its ack. */
static void config(uint16_t attr, const void *data, uint16_t len, const char *what) {
    char buf[256];
    size_t off = begin(buf, NFQNL_MSG_CONFIG, NLM_F_ACK);
    put_attr(buf, &off, attr, data, len);
    if (sendmsg_nl(buf, off) < 0) { perror(what); exit(1); }
    char rb[8192];
    for (;;) {
        ssize_t n = recv(fd, rb, sizeof rb, 0);
        if (n < 0) { perror("recv ack"); exit(1); }
        for (struct nlmsghdr *h = (struct nlmsghdr *)rb; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_ERROR && h->nlmsg_seq == seq) {
                struct nlmsgerr *e = NLMSG_DATA(h);
                if (e->error) {
                    errno = -e->error;
                    perror(what);
                    exit(1);
                }
                return;
            }
        }
    }
}

static uint64_t n_in, n_drop, n_reorder, n_delayed, n_enobufs, max_held;

static void verdict(uint32_t id, uint32_t v) {
    char buf[128];
    size_t off = begin(buf, NFQNL_MSG_VERDICT, 0);
    struct nfqnl_msg_verdict_hdr vh = {htonl(v), htonl(id)};
    put_attr(buf, &off, NFQA_VERDICT_HDR, &vh, sizeof vh);
    while (sendmsg_nl(buf, off) < 0) {
        if (errno == EINTR) continue;
        if (errno == ENOBUFS || errno == EAGAIN) { n_enobufs++; continue; }
        perror("verdict");
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: %s QUEUE DELAY_MS JITTER_MS LOSS_PCT REORDER_PCT SEED\n", argv[0]);
        return 2;
    }
    queue = (uint16_t)atoi(argv[1]);
    double delay = atof(argv[2]), jitter = atof(argv[3]);
    double loss = atof(argv[4]) / 100.0, reorder = atof(argv[5]) / 100.0;
    rng = strtoull(argv[6], NULL, 10) * 2654435761ull + 88172645463325252ull;

    fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
    if (fd < 0) { perror("socket(NETLINK_NETFILTER)"); return 1; }
    int sz = 16 << 20, one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof sz) < 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
    setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("bind"); return 1; }

    struct nfqnl_msg_config_cmd cmd = {.command = NFQNL_CFG_CMD_BIND, .pf = htons(AF_INET)};
    config(NFQA_CFG_CMD, &cmd, sizeof cmd, "NFQNL_CFG_CMD_BIND");
    struct nfqnl_msg_config_params par = {.copy_range = htonl(0), .copy_mode = NFQNL_COPY_META};
    config(NFQA_CFG_PARAMS, &par, sizeof par, "NFQA_CFG_PARAMS");
    uint32_t maxlen = htonl(200000);
    config(NFQA_CFG_QUEUE_MAXLEN, &maxlen, sizeof maxlen, "NFQA_CFG_QUEUE_MAXLEN");

    struct sigaction act = {.sa_handler = on_sig};
    sigaction(SIGTERM, &act, NULL);
    sigaction(SIGINT, &act, NULL);
    printf("netemu: queue %u delay %.1fms jitter %.1fms loss %.2f%% reorder %.2f%%\n",
           queue, delay, jitter, loss * 100, reorder * 100);
    fflush(stdout);

    static char rb[1 << 16];
    while (!stop) {
        uint64_t t = now_ns();
        while (nheap && heap[0].due <= t) {
            struct held h = hpop();
            verdict(h.id, NF_ACCEPT);
        }
        int timeout = -1;
        if (nheap) {
            uint64_t d = heap[0].due - t;
            timeout = (int)((d + 999999) / 1000000);
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, timeout);
        if (r < 0) {
            if (errno == EINTR) continue;
            perror("poll");
            return 1;
        }
        if (r == 0) continue;
        for (;;) {
            ssize_t n = recv(fd, rb, sizeof rb, MSG_DONTWAIT);
            if (n < 0) {
                if (errno == EAGAIN || errno == EINTR) break;
                if (errno == ENOBUFS) { n_enobufs++; continue; }
                perror("recv");
                return 1;
            }
            uint64_t now = now_ns();
            for (struct nlmsghdr *h = (struct nlmsghdr *)rb; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
                if ((h->nlmsg_type >> 8) != NFNL_SUBSYS_QUEUE ||
                    (h->nlmsg_type & 0xff) != NFQNL_MSG_PACKET)
                    continue;
                char *a = (char *)NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(struct nfgenmsg));
                int alen = (int)h->nlmsg_len - (int)(a - (char *)h);
                uint32_t id = 0;
                int found = 0;
                for (struct nlattr *at = (struct nlattr *)a; alen >= (int)NLA_HDRLEN &&
                     at->nla_len >= NLA_HDRLEN && at->nla_len <= alen;
                     alen -= NLA_ALIGN(at->nla_len),
                     at = (struct nlattr *)((char *)at + NLA_ALIGN(at->nla_len))) {
                    if ((at->nla_type & NLA_TYPE_MASK) == NFQA_PACKET_HDR) {
                        struct nfqnl_msg_packet_hdr ph;
                        memcpy(&ph, (char *)at + NLA_HDRLEN, sizeof ph);
                        id = ntohl(ph.packet_id);
                        found = 1;
                    }
                }
                if (!found) continue;
                n_in++;
                if (loss > 0 && urand() < loss) {
                    n_drop++;
                    verdict(id, NF_DROP);
                } else if (reorder > 0 && urand() < reorder) {
                    n_reorder++;
                    verdict(id, NF_ACCEPT);
                } else {
                    double ms = delay + (jitter > 0 ? (urand() * 2 - 1) * jitter : 0);
                    if (ms < 0) ms = 0;
                    n_delayed++;
                    hpush(now + (uint64_t)(ms * 1e6), id);
                    if (nheap > max_held) max_held = nheap;
                }
            }
        }
    }
    /* Let every held packet go before leaving (the kernel would drop them). */
    while (nheap) verdict(hpop().id, NF_ACCEPT);
    printf("netemu: packets %llu dropped %llu sent-early %llu delayed %llu max-held %llu enobufs %llu\n",
           (unsigned long long)n_in, (unsigned long long)n_drop, (unsigned long long)n_reorder,
           (unsigned long long)n_delayed, (unsigned long long)max_held,
           (unsigned long long)n_enobufs);
    return 0;
}
