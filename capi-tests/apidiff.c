/* apidiff SEED OPS — a random, deterministic script of libzmq API calls.
 *
 * Prints one line per call: what was called and what came back (return
 * value, errno, the bytes or integer an option read returned). The same
 * binary is run on the reference libzmq and on ours with the same seed, and
 * the two transcripts are compared (capi-tests/apidiff-run).
 *
 * Only calls whose outcome libzmq fixes without timing are made: no call
 * blocks (every send and receive has ZMQ_DONTWAIT, polls time out at 0),
 * tcp and ipc connects go to endpoints nothing listens on, so messages move
 * only over inproc, which libzmq connects in the calling thread. Nothing
 * that is undefined behaviour in libzmq is done (a closed socket is never
 * used again, no NULL buffer with a non-zero length, no size or data of a
 * message that is not initialised).
 *
 * Environment: APIDIFF_PORT (first of 4 loopback ports, default 43210),
 * APIDIFF_DIR (a directory for ipc files, default /tmp).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

static uint64_t state;

static uint32_t rnd (uint32_t n)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return n ? (uint32_t) (state % n) : 0;
}

static int pick (const int *v, int n)
{
    return v[rnd ((uint32_t) n)];
}
#define PICK(a) pick ((a), (int) (sizeof (a) / sizeof (a)[0]))

static const char *errname (int e)
{
    switch (e) {
#define E(x)                                                                   \
    case x:                                                                    \
        return #x;
        E (EINVAL)
        E (EFAULT)
        E (ENOTSOCK)
        E (EAGAIN)
        E (EFSM)
        E (ENOTSUP)
        E (EPROTONOSUPPORT)
        E (EADDRINUSE)
        E (EADDRNOTAVAIL)
        E (ENODEV)
        E (ENOENT)
        E (ENOMEM)
        E (EMTHREAD)
        E (ETERM)
        E (EHOSTUNREACH)
        E (ENOCOMPATPROTO)
        E (EMFILE)
        E (EINTR)
        E (ENAMETOOLONG)
        E (EACCES)
        E (ECONNREFUSED)
        E (EINPROGRESS)
        E (ENOBUFS)
        E (ENETDOWN)
        E (EAFNOSUPPORT)
        E (EMSGSIZE)
#undef E
        default: {
            static char buf[32];
            snprintf (buf, sizeof buf, "errno%d", e);
            return buf;
        }
    }
}

static long step;
static void out (const char *what, long rc, const char *extra)
{
    int e = errno;
    printf ("%ld %s = %ld", step, what, rc);
    if (rc < 0)
        printf (" %s", errname (e));
    if (extra && *extra)
        printf (" %s", extra);
    printf ("\n");
}

static void hex (char *dst, size_t cap, const void *p, size_t n)
{
    const unsigned char *b = (const unsigned char *) p;
    size_t i, o = 0;
    for (i = 0; i < n && o + 3 < cap; i++) {
        if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '\\')
            dst[o++] = (char) b[i];
        else
            o += (size_t) snprintf (dst + o, cap - o, "\\%02x", b[i]);
    }
    dst[o] = 0;
}

#define DGRAM_TYPE 18 /* ZMQ_DGRAM, a draft constant */
#define NSOCK 8
#define NMSG 4
static void *ctxs[2];
static void *socks[NSOCK];
static int socktype[NSOCK];
static int monitoring[NSOCK]; /* the monitor endpoint's index, 0 for none */
static int given_up[8];       /* monitor endpoints of closed sockets */
static zmq_msg_t msgs[NMSG];
static int msglive[NMSG]; /* 1 when initialised */
static char endpoints[40][400];
static int nendpoints, nconnectable;
static int target[40]; /* a tcp or ipc connect's endpoint: never bound */
static char lastep[NSOCK][256]; /* an endpoint bound, for unbind */

/* option kinds */
enum { K_INT, K_I64, K_BYTES, K_STR };

struct opt {
    int num;
    int kind;
};

/* Not the GSSAPI options: Debian's libzmq has GSSAPI, Monocoque does not
   (EINVAL, as a libzmq built without it). */
static const struct opt options[] = {
  {ZMQ_AFFINITY, K_I64},
  {ZMQ_ROUTING_ID, K_BYTES},
  {ZMQ_SUBSCRIBE, K_BYTES},
  {ZMQ_UNSUBSCRIBE, K_BYTES},
  {ZMQ_RATE, K_INT},
  {ZMQ_RECOVERY_IVL, K_INT},
  {ZMQ_SNDBUF, K_INT},
  {ZMQ_RCVBUF, K_INT},
  {ZMQ_RCVMORE, K_INT},
  {ZMQ_EVENTS, K_INT},
  {ZMQ_TYPE, K_INT},
  {ZMQ_LINGER, K_INT},
  {ZMQ_RECONNECT_IVL, K_INT},
  {ZMQ_BACKLOG, K_INT},
  {ZMQ_RECONNECT_IVL_MAX, K_INT},
  {ZMQ_MAXMSGSIZE, K_I64},
  {ZMQ_SNDHWM, K_INT},
  {ZMQ_RCVHWM, K_INT},
  {ZMQ_MULTICAST_HOPS, K_INT},
  {ZMQ_RCVTIMEO, K_INT},
  {ZMQ_SNDTIMEO, K_INT},
  {ZMQ_IPV4ONLY, K_INT},
  {ZMQ_LAST_ENDPOINT, K_STR},
  {ZMQ_ROUTER_MANDATORY, K_INT},
  {ZMQ_TCP_KEEPALIVE, K_INT},
  {ZMQ_TCP_KEEPALIVE_CNT, K_INT},
  {ZMQ_TCP_KEEPALIVE_IDLE, K_INT},
  {ZMQ_TCP_KEEPALIVE_INTVL, K_INT},
  {ZMQ_TCP_ACCEPT_FILTER, K_STR},
  {ZMQ_IMMEDIATE, K_INT},
  {ZMQ_XPUB_VERBOSE, K_INT},
  {ZMQ_ROUTER_RAW, K_INT},
  {ZMQ_IPV6, K_INT},
  {ZMQ_MECHANISM, K_INT},
  {ZMQ_PLAIN_SERVER, K_INT},
  {ZMQ_PLAIN_USERNAME, K_STR},
  {ZMQ_PLAIN_PASSWORD, K_STR},
  {ZMQ_CURVE_SERVER, K_INT},
  {ZMQ_CURVE_PUBLICKEY, K_BYTES},
  {ZMQ_CURVE_SECRETKEY, K_BYTES},
  {ZMQ_CURVE_SERVERKEY, K_BYTES},
  {ZMQ_PROBE_ROUTER, K_INT},
  {ZMQ_REQ_CORRELATE, K_INT},
  {ZMQ_REQ_RELAXED, K_INT},
  {ZMQ_CONFLATE, K_INT},
  {ZMQ_ZAP_DOMAIN, K_STR},
  {ZMQ_ROUTER_HANDOVER, K_INT},
  {ZMQ_TOS, K_INT},
  {ZMQ_IPC_FILTER_PID, K_INT},
  {ZMQ_IPC_FILTER_UID, K_INT},
  {ZMQ_IPC_FILTER_GID, K_INT},
  {ZMQ_CONNECT_ROUTING_ID, K_BYTES},
  {ZMQ_HANDSHAKE_IVL, K_INT},
  {ZMQ_SOCKS_PROXY, K_STR},
  {ZMQ_XPUB_NODROP, K_INT},
  {ZMQ_BLOCKY, K_INT},
  {ZMQ_XPUB_MANUAL, K_INT},
  {ZMQ_XPUB_WELCOME_MSG, K_BYTES},
  {ZMQ_STREAM_NOTIFY, K_INT},
  {ZMQ_INVERT_MATCHING, K_INT},
  {ZMQ_HEARTBEAT_IVL, K_INT},
  {ZMQ_HEARTBEAT_TTL, K_INT},
  {ZMQ_HEARTBEAT_TIMEOUT, K_INT},
  {ZMQ_XPUB_VERBOSER, K_INT},
  {ZMQ_CONNECT_TIMEOUT, K_INT},
  {ZMQ_TCP_MAXRT, K_INT},
  {ZMQ_THREAD_SAFE, K_INT},
  {ZMQ_MULTICAST_MAXTPDU, K_INT},
  {ZMQ_VMCI_BUFFER_SIZE, K_I64},
  {ZMQ_VMCI_CONNECT_TIMEOUT, K_INT},
  {ZMQ_USE_FD, K_INT},
  {ZMQ_BINDTODEVICE, K_STR},
  /* numbers libzmq does not know (stable build) */
  {0, K_INT},
  {10, K_INT},
  {20, K_INT},
  {29, K_INT},
  {67, K_INT},
  {82, K_INT},
  {95, K_STR},
  {101, K_INT},
  {1000, K_INT},
  {-1, K_INT},
};
#define NOPTIONS ((int) (sizeof options / sizeof options[0]))

static const int interesting_ints[] = {
  -2, -1, 0, 1, 2, 3, 7, 100, 255, 256, 1000, 65535, 65536, 6553600, 2147483647, -2147483647 - 1};

static void fill_bytes (char *buf, size_t n)
{
    static const char z85[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    size_t i;
    int style = (int) rnd (4);
    for (i = 0; i < n; i++) {
        if (style == 0)
            buf[i] = z85[rnd (85)];
        else if (style == 1)
            buf[i] = (char) ('a' + rnd (26));
        else
            buf[i] = (char) rnd (256);
    }
    if (n > 0 && rnd (6) == 0)
        buf[0] = 0;
}

static int live_socket (void)
{
    int i, tries;
    for (tries = 0; tries < 16; tries++) {
        i = (int) rnd (NSOCK);
        if (socks[i])
            return i;
    }
    return -1;
}

/* libzmq ends a closed socket in its reaper thread: its inproc names and
   its place under ZMQ_MAX_SOCKETS are given back a moment after zmq_close
   (Monocoque's at once). The script waits that moment. */
static void settle (void)
{
    usleep (20 * 1000);
}

static void op_socket (void)
{
    int slot = (int) rnd (NSOCK), type = (int) rnd (22) - 1, c = (int) rnd (2);
    char what[64];
    if (socks[slot]) {
        int zero = 0;
        zmq_setsockopt (socks[slot], ZMQ_LINGER, &zero, sizeof zero);
        zmq_close (socks[slot]);
        socks[slot] = NULL;
        given_up[monitoring[slot]] = 1;
        settle ();
    }
    snprintf (what, sizeof what, "socket(ctx%d, %d) -> s%d", c, type, slot);
    socks[slot] = zmq_socket (ctxs[c], type);
    socktype[slot] = type;
    monitoring[slot] = 0;
    lastep[slot][0] = 0;
    out (what, socks[slot] ? 0 : -1, "");
}

static void op_close (void)
{
    int s = live_socket (), zero = 0;
    char what[32];
    if (s < 0) {
        errno = 0;
        out ("close(NULL)", zmq_close (NULL), "");
        return;
    }
    zmq_setsockopt (socks[s], ZMQ_LINGER, &zero, sizeof zero);
    snprintf (what, sizeof what, "close(s%d)", s);
    out (what, zmq_close (socks[s]), "");
    socks[s] = NULL;
    given_up[monitoring[s]] = 1;
    settle ();
}

static void op_setsockopt (void)
{
    int s = live_socket ();
    const struct opt *o = &options[rnd (NOPTIONS)];
    int kind = rnd (10) < 7 ? o->kind : (int) rnd (4);
    char buf[512], what[128], shown[128];
    size_t len;
    int rc;
    if (s < 0)
        return;
    switch (kind) {
        case K_INT: {
            static const int sizes[] = {4, 4, 4, 4, 4, 4, 0, 1, 8, 2};
            int v = PICK (interesting_ints);
            len = (size_t) PICK (sizes);
            memset (buf, 0, sizeof buf);
            memcpy (buf, &v, sizeof v);
            break;
        }
        case K_I64: {
            static const int sizes[] = {8, 8, 8, 4, 0};
            int64_t v = rnd (3) == 0 ? -1 : (int64_t) PICK (interesting_ints) * (rnd (2) ? 1 : 4096);
            len = (size_t) PICK (sizes);
            memset (buf, 0, sizeof buf);
            memcpy (buf, &v, sizeof v);
            break;
        }
        default: {
            static const int sizes[] = {0, 1, 3, 5, 31, 32, 33, 40, 41, 255, 256, 300};
            len = (size_t) PICK (sizes);
            fill_bytes (buf, len);
            if (kind == K_STR && len > 0 && rnd (2))
                buf[len - 1] = 0;
            break;
        }
    }
    /* Monocoque keeps SOCKS_PROXY and BINDTODEVICE as text (EINVAL for
       bytes that are not UTF-8, cut at a NUL), libzmq as raw bytes: a known
       difference. */
    if (o->num == ZMQ_SOCKS_PROXY || o->num == ZMQ_BINDTODEVICE) {
        size_t i;
        for (i = 0; i < len; i++)
            buf[i] = (char) ('a' + (unsigned char) buf[i] % 26);
    }
    if (o->num == ZMQ_USE_FD) {
        /* any other value makes libzmq listen on that descriptor */
        int none = -1;
        memcpy (buf, &none, sizeof none);
    }
    hex (shown, 40, buf, len < 12 ? len : 12);
    snprintf (what, sizeof what, "setsockopt(s%d, %d, [%s], %zu)", s, o->num, shown, len);
    if (len == 0 && rnd (2)) {
        rc = zmq_setsockopt (socks[s], o->num, NULL, 0);
        strcat (what, " NULL");
    } else
        rc = zmq_setsockopt (socks[s], o->num, buf, len);
    out (what, rc, "");
}

static void op_getsockopt (void)
{
    static const int sizes[] = {4, 4, 8, 8, 0, 1, 2, 32, 33, 40, 41, 255, 256, 1024};
    int s = live_socket ();
    const struct opt *o = &options[rnd (NOPTIONS)];
    char buf[1100], what[96], extra[300];
    size_t len = (size_t) PICK (sizes), got;
    int rc;
    if (s < 0)
        return;
    memset (buf, 0x55, sizeof buf);
    got = len;
    rc = zmq_getsockopt (socks[s], o->num, buf, &got);
    snprintf (what, sizeof what, "getsockopt(s%d, %d, %zu)", s, o->num, len);
    extra[0] = 0;
    if (rc == 0) {
        if (o->num == ZMQ_FD)
            snprintf (extra, sizeof extra, "len=%zu (fd)", got);
        else if (o->num == ZMQ_LAST_ENDPOINT) {
            /* wildcard ports and ipc names differ from run to run */
            char v[300];
            hex (v, sizeof v, buf, got < 200 ? got : 200);
            char *colon = strrchr (v, ':');
            if (strstr (v, "tcp://") && colon && strchr (v + 6, ':') != NULL)
                strcpy (colon, ":PORT");
            if (strstr (v, "ipc://") && !strstr (v, "apidiff"))
                strcpy (v, "ipc://GENERATED");
            snprintf (extra, sizeof extra, "len=%zu %s", got, v);
        } else if (got == sizeof (int) && o->kind == K_INT)
            snprintf (extra, sizeof extra, "len=%zu %d", got, *(int *) buf);
        else if (got == sizeof (int64_t) && (o->kind == K_I64 || o->kind == K_INT))
            snprintf (extra, sizeof extra, "len=%zu %lld", got, (long long) *(int64_t *) buf);
        else {
            char v[260];
            hex (v, sizeof v, buf, got < 60 ? got : 60);
            snprintf (extra, sizeof extra, "len=%zu [%s]", got, v);
        }
    } else if (got != len)
        snprintf (extra, sizeof extra, "len=%zu", got);
    out (what, rc, extra);
}

static void op_endpoint (void)
{
    int s = live_socket (), which = (int) rnd (4), e, rc;
    char what[600];
    const char *ep;
    static const char *names[] = {"bind", "connect", "unbind", "disconnect"};
    if (s < 0)
        return;
    if (which == 1)
        e = (int) rnd ((uint32_t) nconnectable);
    else
        e = (int) rnd ((uint32_t) nendpoints);
    /* nothing listens where a tcp or ipc connect goes */
    if (which == 0 && target[e])
        e = 0;
    ep = endpoints[e];
    if (which >= 2 && lastep[s][0] && rnd (2))
        ep = lastep[s];
    snprintf (what, sizeof what, "%s(s%d, %s)", names[which], s,
              ep == lastep[s] ? "LAST" : (strlen (ep) > 60 ? "LONG" : ep));
    /* the run-specific directory and ports are not part of the transcript */
    if (ep != lastep[s] && (strstr (ep, "/apidiff-") || strstr (ep, "@apidiff")))
        snprintf (what, sizeof what, "%s(s%d, ep%d)", names[which], s, e);
    switch (which) {
        case 0:
            rc = zmq_bind (socks[s], ep);
            if (rc == 0) {
                size_t l = sizeof lastep[s];
                if (zmq_getsockopt (socks[s], ZMQ_LAST_ENDPOINT, lastep[s], &l) != 0)
                    lastep[s][0] = 0;
            }
            break;
        case 1:
            rc = zmq_connect (socks[s], ep);
            break;
        case 2:
            rc = zmq_unbind (socks[s], ep);
            break;
        default:
            rc = zmq_disconnect (socks[s], ep);
            break;
    }
    out (what, rc, "");
}

static void op_send (void)
{
    static const int flagset[] = {ZMQ_DONTWAIT, ZMQ_DONTWAIT, ZMQ_DONTWAIT | ZMQ_SNDMORE};
    static const int lens[] = {0, 1, 5, 29, 30, 255, 256, 4000};
    int s = live_socket (), flags = PICK (flagset), rc;
    size_t len = (size_t) PICK (lens);
    char buf[4096], what[96];
    if (s < 0 || socktype[s] == DGRAM_TYPE)
        return; /* libzmq 4.3.4 asserts in zmq_send on a DGRAM socket */
    fill_bytes (buf, len);
    snprintf (what, sizeof what, "send(s%d, %zu, %d)", s, len, flags);
    rc = zmq_send (socks[s], len ? buf : (rnd (2) ? NULL : buf), len, flags);
    out (what, rc, "");
}

static void op_recv (void)
{
    static const int lens[] = {0, 1, 16, 256, 4096};
    int s = live_socket (), rc;
    size_t len = (size_t) PICK (lens);
    char buf[4096], what[96], extra[200];
    int more = 0;
    size_t ml = sizeof more;
    if (s < 0)
        return;
    snprintf (what, sizeof what, "recv(s%d, %zu)", s, len);
    rc = zmq_recv (socks[s], len ? buf : (rnd (2) ? NULL : buf), len, ZMQ_DONTWAIT);
    extra[0] = 0;
    if (rc >= 0) {
        char v[100];
        size_t n = (size_t) rc < len ? (size_t) rc : len;
        hex (v, sizeof v, buf, n < 24 ? n : 24);
        zmq_getsockopt (socks[s], ZMQ_RCVMORE, &more, &ml);
        snprintf (extra, sizeof extra, "[%s] more=%d", v, more);
    }
    out (what, rc, extra);
}

static void op_msg (void)
{
    int m = (int) rnd (NMSG), m2 = (m + 1 + (int) rnd (NMSG - 1)) % NMSG, s, rc;
    char what[96], extra[200];
    static char staticbody[64] = "static body";
    extra[0] = 0;
    switch (rnd (12)) {
        case 0:
            snprintf (what, sizeof what, "msg_init(m%d)", m);
            rc = zmq_msg_init (&msgs[m]);
            msglive[m] = rc == 0;
            break;
        case 1: {
            static const size_t sizes[] = {0, 1, 33, 1000, (size_t) -1};
            size_t sz = sizes[rnd (5)];
            snprintf (what, sizeof what, "msg_init_size(m%d, %zu)", m, sz);
            rc = zmq_msg_init_size (&msgs[m], sz);
            msglive[m] = rc == 0;
            /* libzmq leaves a message it could not allocate half made */
            if (rc != 0)
                memset (&msgs[m], 0, sizeof msgs[m]);
            if (rc == 0 && sz)
                fill_bytes ((char *) zmq_msg_data (&msgs[m]), sz);
            break;
        }
        case 2:
            snprintf (what, sizeof what, "msg_init_data(m%d)", m);
            rc = zmq_msg_init_data (&msgs[m], staticbody, 1 + rnd (60), NULL, NULL);
            msglive[m] = rc == 0;
            break;
        case 3:
            snprintf (what, sizeof what, "msg_close(m%d)", m);
            rc = zmq_msg_close (&msgs[m]);
            if (rc == 0)
                msglive[m] = 0;
            break;
        case 4:
            snprintf (what, sizeof what, "msg_copy(m%d, m%d)", m, m2);
            rc = zmq_msg_copy (&msgs[m], &msgs[m2]);
            if (rc == 0)
                msglive[m] = 1;
            break;
        case 5:
            snprintf (what, sizeof what, "msg_move(m%d, m%d)", m, m2);
            rc = zmq_msg_move (&msgs[m], &msgs[m2]);
            if (rc == 0)
                msglive[m] = 1;
            break;
        case 6:
            s = live_socket ();
            if (s < 0)
                return;
            /* libzmq asserts on an uninitialised message here */
            if (socktype[s] == DGRAM_TYPE || !msglive[m])
                return;
            snprintf (what, sizeof what, "msg_send(m%d, s%d)", m, s);
            rc = zmq_msg_send (&msgs[m], socks[s], ZMQ_DONTWAIT | (rnd (3) == 0 ? ZMQ_SNDMORE : 0));
            break;
        case 7:
            s = live_socket ();
            if (s < 0)
                return;
            snprintf (what, sizeof what, "msg_recv(m%d, s%d)", m, s);
            rc = zmq_msg_recv (&msgs[m], socks[s], ZMQ_DONTWAIT);
            if (rc >= 0) {
                char v[100];
                hex (v, sizeof v, zmq_msg_data (&msgs[m]), zmq_msg_size (&msgs[m]) < 24 ? zmq_msg_size (&msgs[m]) : 24);
                snprintf (extra, sizeof extra, "[%s] more=%d", v, zmq_msg_more (&msgs[m]));
            }
            break;
        case 8: {
            static const int props[] = {ZMQ_MORE, ZMQ_SRCFD, ZMQ_SHARED, 0, 4, 100, -1};
            int p = PICK (props);
            snprintf (what, sizeof what, "msg_get(m%d, %d)", m, p);
            if (!msglive[m])
                return;
            rc = zmq_msg_get (&msgs[m], p);
            if (p == ZMQ_SRCFD && rc >= 0)
                rc = 0; /* a descriptor number */
            break;
        }
        case 9: {
            static const int props[] = {ZMQ_MORE, ZMQ_SRCFD, ZMQ_SHARED, 0, 100};
            int p = PICK (props);
            snprintf (what, sizeof what, "msg_set(m%d, %d)", m, p);
            rc = zmq_msg_set (&msgs[m], p, 1);
            break;
        }
        case 10: {
            static const char *props[] = {"Socket-Type", "Routing-Id", "Identity", "Peer-Address", "User-Id", "X-Foo", ""};
            const char *p = props[rnd (7)];
            const char *v;
            snprintf (what, sizeof what, "msg_gets(m%d, %s)", m, p);
            if (!msglive[m])
                return;
            v = zmq_msg_gets (&msgs[m], p);
            rc = v ? 0 : -1;
            if (v)
                snprintf (extra, sizeof extra, "%.60s", v);
            break;
        }
        default:
            snprintf (what, sizeof what, "msg_size_more(m%d)", m);
            if (!msglive[m])
                return;
            rc = (int) zmq_msg_size (&msgs[m]);
            snprintf (extra, sizeof extra, "more=%d", zmq_msg_more (&msgs[m]));
            break;
    }
    out (what, rc, extra);
}

static void op_poll (void)
{
    zmq_pollitem_t items[3];
    int n = 1 + (int) rnd (3), i, rc, ids[3];
    char what[96] = "poll(", extra[64] = "";
    for (i = 0; i < n; i++) {
        ids[i] = live_socket ();
        if (ids[i] < 0)
            return;
        items[i].socket = socks[ids[i]];
        items[i].fd = 0;
        items[i].events = (short) (rnd (4) == 0 ? ZMQ_POLLIN : ZMQ_POLLIN | ZMQ_POLLOUT);
        items[i].revents = 0;
        snprintf (what + strlen (what), sizeof what - strlen (what), "s%d/%d ", ids[i], items[i].events);
    }
    strcat (what, ")");
    rc = zmq_poll (items, n, 0);
    for (i = 0; i < n; i++)
        snprintf (extra + strlen (extra), sizeof extra - strlen (extra), "%d ", items[i].revents);
    out (what, rc, extra);
}

static void op_ctx (void)
{
    static const int copts[] = {ZMQ_IO_THREADS, ZMQ_MAX_SOCKETS, ZMQ_SOCKET_LIMIT, ZMQ_IPV6, ZMQ_BLOCKY, ZMQ_MAX_MSGSZ,
                                ZMQ_MSG_T_SIZE, 10 /* ZERO_COPY_RECV (draft) */, 0, 100, -1};
    static const int vals[] = {-1, 0, 1, 2, 1024, 65535, 100000};
    int c = (int) rnd (2), o = PICK (copts), v = PICK (vals), rc;
    char what[96];
    /* Set only where the outcome does not hang on timing or on where the
       library checks first: no socket limit under the 8 the script keeps
       (libzmq counts a closed socket until its reaper ends it), and
       IO_THREADS only as it is (0 makes libzmq report EMTHREAD before it
       parses an address, Monocoque after). */
    if (o == ZMQ_MAX_SOCKETS && v >= 0 && v < 64)
        v = 64;
    if (o == ZMQ_IO_THREADS && v >= 0)
        v = 1;
    if (rnd (2)) {
        snprintf (what, sizeof what, "ctx_get(ctx%d, %d)", c, o);
        rc = zmq_ctx_get (ctxs[c], o);
    } else {
        snprintf (what, sizeof what, "ctx_set(ctx%d, %d, %d)", c, o, v);
        rc = zmq_ctx_set (ctxs[c], o, v);
    }
    out (what, rc, "");
}

static void op_monitor (void)
{
    static const char *eps[] = {NULL, "inproc://mon-a", "inproc://mon-b", "inproc://", "tcp://127.0.0.1:1", "bogus"};
    static const int evs[] = {ZMQ_EVENT_ALL, 0, ZMQ_EVENT_CONNECTED, 0xffff, 0x10000, -1};
    int s = live_socket (), e = (int) rnd (6), ev = PICK (evs), rc;
    char what[96];
    if (s < 0)
        return;
    /* libzmq blocks the socket's thread on its first event until a peer
       reads the monitor: a monitor that works watches nothing here */
    if ((e == 1 || e == 2) && ev >= 0 && ev <= 0xffff)
        ev = 0;
    /* libzmq replaces a socket's monitor by closing the old one, which
       gives its inproc name back later (its reaper): monitoring again under
       the same name races with that there. */
    if (e > 0 && monitoring[s] == e)
        return;
    /* A closed socket's monitor keeps its name in libzmq until the socket
       is destroyed, which waits for its inproc peers to take note: a name
       a closed socket monitored is not used again. */
    if (e > 0 && given_up[e])
        return;
    snprintf (what, sizeof what, "socket_monitor(s%d, %s, %d)", s, eps[e] ? eps[e] : "NULL", ev);
    rc = zmq_socket_monitor (socks[s], eps[e], ev);
    out (what, rc, "");
    if (rc == 0 || e == 0)
        monitoring[s] = e;
}

static void op_util (void)
{
    char what[96], extra[200] = "";
    int rc;
    switch (rnd (5)) {
        case 0: {
            /* not pgm, tipc, norm, gssapi: Debian's libzmq has them */
            static const char *caps[] = {"ipc", "curve", "draft", "wss", "vmci", "", "tcp", "udp"};
            const char *c = caps[rnd (8)];
            snprintf (what, sizeof what, "has(%s)", c);
            rc = zmq_has (c);
            break;
        }
        case 1: {
            static const int errs[] = {EINVAL, ENOTSUP, EFSM, ETERM, EMTHREAD, ENOCOMPATPROTO, EHOSTUNREACH, EAGAIN, 0, 156384766, 156384720};
            int e = PICK (errs);
            snprintf (what, sizeof what, "strerror(%d)", e);
            snprintf (extra, sizeof extra, "%s", zmq_strerror (e));
            rc = 0;
            break;
        }
        case 2: {
            static const int lens[] = {0, 4, 5, 8, 32, 33};
            uint8_t data[40];
            char text[64];
            size_t l = (size_t) PICK (lens);
            fill_bytes ((char *) data, l);
            snprintf (what, sizeof what, "z85_encode(%zu)", l);
            rc = zmq_z85_encode (text, data, l) ? 0 : -1;
            if (rc == 0)
                snprintf (extra, sizeof extra, "%s", text);
            break;
        }
        case 3: {
            static const int lens[] = {0, 5, 6, 10, 40};
            char text[64];
            uint8_t data[64];
            size_t l = (size_t) PICK (lens);
            fill_bytes (text, l);
            text[l] = 0;
            if (rnd (2)) {
                size_t i;
                for (i = 0; i < l; i++)
                    text[i] = "0123456789abcdefghijklmnopqrstuvwxyz"[rnd (36)];
            }
            snprintf (what, sizeof what, "z85_decode(%zu)", l);
            rc = zmq_z85_decode (data, text) ? 0 : -1;
            if (rc == 0 && l)
                hex (extra, sizeof extra, data, l * 4 / 5);
            break;
        }
        default: {
            char pub[41], sec[41] = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6", pub2[41];
            snprintf (what, sizeof what, "curve_public");
            if (rnd (2))
                sec[rnd (40)] = (char) ('0' + rnd (10));
            if (rnd (4) == 0)
                sec[rnd (40)] = '~';
            rc = zmq_curve_public (pub, sec);
            if (rc == 0)
                snprintf (extra, sizeof extra, "%s", pub);
            else if (zmq_curve_keypair (pub2, sec) != 0 && errno != ENOTSUP)
                snprintf (extra, sizeof extra, "keypair failed");
            break;
        }
    }
    out (what, rc, extra);
}

int main (int argc, char **argv)
{
    long ops, i;
    const char *dir = getenv ("APIDIFF_DIR") ? getenv ("APIDIFF_DIR") : "/tmp";
    int port = getenv ("APIDIFF_PORT") ? atoi (getenv ("APIDIFF_PORT")) : 43210;
    char longname[400];

    if (argc != 3) {
        fprintf (stderr, "usage: apidiff SEED OPS\n");
        return 2;
    }
    state = strtoull (argv[1], NULL, 10) * 2654435761u + 88172645463325252ull;
    ops = atol (argv[2]);
    setvbuf (stdout, NULL, _IOLBF, 0);

    /* endpoints a connect may use first (nothing listens there, or inproc) */
    snprintf (endpoints[nendpoints++], 400, "inproc://a");
    snprintf (endpoints[nendpoints++], 400, "inproc://b");
    snprintf (endpoints[nendpoints++], 400, "inproc://c");
    target[nendpoints] = 1;
    snprintf (endpoints[nendpoints++], 400, "tcp://127.0.0.1:%d", port + 3);
    target[nendpoints] = 1;
    snprintf (endpoints[nendpoints++], 400, "tcp://127.0.0.1:%d;127.0.0.1:%d", port + 2, port + 3);
    target[nendpoints] = 1;
    snprintf (endpoints[nendpoints++], 400, "tcp://localhost:%d", port + 3);
    target[nendpoints] = 1;
    snprintf (endpoints[nendpoints++], 400, "ipc://%s/apidiff-none", dir);
    snprintf (endpoints[nendpoints++], 400, "tcp://127.0.0.1");
    snprintf (endpoints[nendpoints++], 400, "tcp://127.0.0.1:");
    snprintf (endpoints[nendpoints++], 400, "tcp://127.0.0.1:*");
    snprintf (endpoints[nendpoints++], 400, "tcp://127.0.0.1:0");
    snprintf (endpoints[nendpoints++], 400, "tcp://127.0.0.1:65536");
    snprintf (endpoints[nendpoints++], 400, "tcp://127.0.0.1:abc");
    snprintf (endpoints[nendpoints++], 400, "tcp://300.1.1.1:5");
    target[nendpoints] = 1;
    snprintf (endpoints[nendpoints++], 400, "tcp://[::1]:%d", port + 3);
    snprintf (endpoints[nendpoints++], 400, "tcp://[::1");
    snprintf (endpoints[nendpoints++], 400, "inproc://");
    target[nendpoints] = 1;
    snprintf (endpoints[nendpoints++], 400, "udp://127.0.0.1:%d", port + 3);
    /* not pgm://, tipc://, vmci://, norm://: Monocoque has none of them */
    snprintf (endpoints[nendpoints++], 400, "foo://bar");
    snprintf (endpoints[nendpoints++], 400, "tcp://");
    snprintf (endpoints[nendpoints++], 400, "%s", "");
    snprintf (endpoints[nendpoints++], 400, "inproc");
    memset (longname, 'x', 150);
    longname[150] = 0;
    snprintf (endpoints[nendpoints++], 400, "ipc://%s/apidiff-%s", dir, longname);
    nconnectable = nendpoints;
    /* endpoints for bind only ("-1" is port 65535 to libzmq's atoi) */
    snprintf (endpoints[nendpoints++], 400, "tcp://127.0.0.1:-1");
    snprintf (endpoints[nendpoints++], 400, "tcp://127.0.0.1:%d", port);
    snprintf (endpoints[nendpoints++], 400, "tcp://127.0.0.1:%d", port + 1);
    snprintf (endpoints[nendpoints++], 400, "tcp://[::1]:*");
    snprintf (endpoints[nendpoints++], 400, "ipc://%s/apidiff-a", dir);
    snprintf (endpoints[nendpoints++], 400, "ipc://*");
    snprintf (endpoints[nendpoints++], 400, "ipc://@apidiff-%d", port);

    ctxs[0] = zmq_ctx_new ();
    ctxs[1] = zmq_ctx_new ();
    for (i = 0; i < ops; i++) {
        step = i;
        switch (rnd (20)) {
            case 0:
            case 1:
                op_socket ();
                break;
            case 2:
                op_close ();
                break;
            case 3:
            case 4:
            case 5:
                op_setsockopt ();
                break;
            case 6:
            case 7:
                op_getsockopt ();
                break;
            case 8:
            case 9:
            case 10:
                op_endpoint ();
                break;
            case 11:
            case 12:
                op_send ();
                break;
            case 13:
            case 14:
                op_recv ();
                break;
            case 15:
            case 16:
                op_msg ();
                break;
            case 17:
                op_poll ();
                break;
            case 18:
                if (rnd (2))
                    op_ctx ();
                else
                    op_util ();
                break;
            default:
                op_monitor ();
                break;
        }
    }
    for (i = 0; i < NSOCK; i++)
        if (socks[i]) {
            int zero = 0;
            zmq_setsockopt (socks[i], ZMQ_LINGER, &zero, sizeof zero);
            zmq_close (socks[i]);
        }
    for (i = 0; i < NMSG; i++)
        if (msglive[i])
            zmq_msg_close (&msgs[i]);
    step = ops;
    out ("ctx_term(ctx0)", zmq_ctx_term (ctxs[0]), "");
    out ("ctx_term(ctx1)", zmq_ctx_term (ctxs[1]), "");
    return 0;
}
