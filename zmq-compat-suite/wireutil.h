/* Raw BSD-socket helpers for the wire_* cases of zmq-compat-suite.
 * Written for this project from RFC 23 (ZMTP 3.0), RFC 37 (ZMTP 3.1),
 * RFC 15 (ZMTP 2.0) and RFC 13 (ZMTP 1.0). A case plays the peer side of a
 * connection byte by byte against the library under test.
 *
 * Every blocking helper takes a timeout in milliseconds; none waits forever.
 * Helpers that can fail in an expected way return a status; helpers whose
 * failure means the case is broken call FAIL. */
#ifndef COMPAT_WIREUTIL_H
#define COMPAT_WIREUTIL_H
#include "testutil.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

/* ZMTP frame flag bits (RFC 23 §"Framing"). */
#define WU_MORE 0x01
#define WU_LONG 0x02
#define WU_COMMAND 0x04

/* Result of a read that may legitimately see the peer go away. */
#define WU_OK 0
#define WU_TIMEOUT -1
#define WU_CLOSED -2

/* Port number of a "tcp://host:port" endpoint (the text after the last ':'). */
static inline int wu_endpoint_port (const char *endpoint)
{
    const char *colon = strrchr (endpoint, ':');
    if (!colon)
        FAIL ("endpoint without port: %s", endpoint);
    return atoi (colon + 1);
}

/* A blocking TCP connection to 127.0.0.1:port. */
static inline int wu_connect_port (int port)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        FAIL ("socket(): %s", strerror (errno));
    struct sockaddr_in sa;
    memset (&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons ((uint16_t) port);
    sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    if (connect (fd, (struct sockaddr *) &sa, sizeof sa) != 0)
        FAIL ("connect to 127.0.0.1:%d: %s", port, strerror (errno));
    int one = 1;
    setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* Connect to the tcp endpoint a zmq socket reported via ZMQ_LAST_ENDPOINT. */
static inline int wu_connect_endpoint (const char *endpoint)
{
    return wu_connect_port (wu_endpoint_port (endpoint));
}

/* A listening TCP socket on 127.0.0.1 with a kernel-chosen port. */
static inline int wu_listen (int *port)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        FAIL ("socket(): %s", strerror (errno));
    struct sockaddr_in sa;
    memset (&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = 0;
    sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    if (bind (fd, (struct sockaddr *) &sa, sizeof sa) != 0)
        FAIL ("bind: %s", strerror (errno));
    if (listen (fd, 8) != 0)
        FAIL ("listen: %s", strerror (errno));
    socklen_t l = sizeof sa;
    if (getsockname (fd, (struct sockaddr *) &sa, &l) != 0)
        FAIL ("getsockname: %s", strerror (errno));
    *port = ntohs (sa.sin_port);
    return fd;
}

/* A loopback port that was free a moment ago (bound then released), for
 * cases that must connect before anything listens. Another process could
 * take it in between; cases using it tolerate that by retrying. */
static inline int wu_free_port (void)
{
    int port;
    int fd = wu_listen (&port);
    close (fd);
    return port;
}

/* 1 when fd becomes readable (data or EOF) within timeout_ms, else 0. */
static inline int wu_readable (int fd, int timeout_ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    int rc;
    do
        rc = poll (&p, 1, timeout_ms);
    while (rc < 0 && errno == EINTR);
    if (rc < 0)
        FAIL ("poll: %s", strerror (errno));
    return rc > 0;
}

static inline int wu_accept (int lfd, int timeout_ms)
{
    if (!wu_readable (lfd, timeout_ms))
        FAIL ("no connection accepted within %d ms", timeout_ms);
    int fd = accept (lfd, NULL, NULL);
    if (fd < 0)
        FAIL ("accept: %s", strerror (errno));
    int one = 1;
    setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static inline void wu_send_all (int fd, const void *buf, size_t len)
{
    const unsigned char *p = (const unsigned char *) buf;
    while (len > 0) {
        ssize_t n = send (fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            FAIL ("send %zu bytes: %s", len, strerror (errno));
        p += n;
        len -= (size_t) n;
    }
}

/* Like wu_send_all but tolerates the peer having closed (returns -1). */
static inline int wu_try_send_all (int fd, const void *buf, size_t len)
{
    const unsigned char *p = (const unsigned char *) buf;
    while (len > 0) {
        ssize_t n = send (fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

/* Read exactly len bytes within timeout_ms (total). WU_OK, WU_TIMEOUT, or
 * WU_CLOSED (EOF or reset before len bytes). *got (optional) = bytes read. */
static inline int wu_recv_exact (int fd, void *buf, size_t len,
                                 int timeout_ms, size_t *got)
{
    unsigned char *p = (unsigned char *) buf;
    size_t have = 0;
    long long deadline = now_ms () + timeout_ms;
    int status = WU_OK;
    while (have < len) {
        long long left = deadline - now_ms ();
        if (left <= 0 || !wu_readable (fd, (int) left)) {
            status = WU_TIMEOUT;
            break;
        }
        ssize_t n = recv (fd, p + have, len - have, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            status = WU_CLOSED;
            break;
        }
        have += (size_t) n;
    }
    if (got)
        *got = have;
    return status;
}

/* Read exactly len bytes or FAIL saying what was being read. */
static inline void wu_expect_bytes (int fd, void *buf, size_t len,
                                    int timeout_ms, const char *what)
{
    size_t got = 0;
    int rc = wu_recv_exact (fd, buf, len, timeout_ms, &got);
    if (rc != WU_OK)
        FAIL ("reading %s: %s after %zu of %zu bytes", what,
              rc == WU_TIMEOUT ? "timeout" : "connection closed", got, len);
}

/* 1 when the peer closes the connection within timeout_ms (any data that
 * arrives meanwhile is read and discarded), else 0. */
static inline int wu_wait_closed (int fd, int timeout_ms)
{
    long long deadline = now_ms () + timeout_ms;
    unsigned char buf[4096];
    for (;;) {
        long long left = deadline - now_ms ();
        if (left <= 0 || !wu_readable (fd, (int) left))
            return 0;
        ssize_t n = recv (fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 1;
    }
}

/* ---- ZMTP 3.x greeting (RFC 23 §"Greeting") ---------------------------- */

#define WU_GREETING_SIZE 64

/* The 10-byte signature: 0xFF, 8 padding bytes (the last one 0x01 so a
 * ZMTP 1.0 peer reads it as a length), 0x7F. */
static inline void wu_signature (unsigned char out[10])
{
    memset (out, 0, 10);
    out[0] = 0xFF;
    out[8] = 0x01;
    out[9] = 0x7F;
}

/* A complete 64-byte ZMTP 3.x greeting. */
static inline void wu_greeting (unsigned char out[WU_GREETING_SIZE],
                                int major, int minor, const char *mechanism,
                                int as_server)
{
    memset (out, 0, WU_GREETING_SIZE);
    wu_signature (out);
    out[10] = (unsigned char) major;
    out[11] = (unsigned char) minor;
    size_t ml = strlen (mechanism);
    memcpy (out + 12, mechanism, ml > 20 ? 20 : ml);
    out[32] = (unsigned char) as_server;
}

static inline void wu_send_greeting (int fd, int minor, const char *mechanism)
{
    unsigned char g[WU_GREETING_SIZE];
    wu_greeting (g, 3, minor, mechanism, 0);
    wu_send_all (fd, g, sizeof g);
}

/* Read the library's 64-byte greeting and check it is a ZMTP 3 greeting
 * offering the NULL mechanism. */
static inline void wu_recv_greeting_null (int fd, unsigned char out[64])
{
    wu_expect_bytes (fd, out, WU_GREETING_SIZE, 3000, "greeting");
    if (out[0] != 0xFF || out[9] != 0x7F)
        FAIL ("greeting signature wrong: %02x..%02x", out[0], out[9]);
    if (out[10] != 3)
        FAIL ("greeting major version %d, want 3", out[10]);
    static const char null_mech[20] = "NULL";
    if (memcmp (out + 12, null_mech, 20) != 0)
        FAIL ("greeting mechanism is not NULL");
}

/* ---- frames (RFC 23 §"Framing") ----------------------------------------- */

/* Send one frame; the 8-byte length form is used when len > 255 or when
 * force_long is set (flags WU_LONG is added automatically). */
static inline void wu_send_frame_ex (int fd, int flags, const void *data,
                                     size_t len, int force_long)
{
    unsigned char hdr[9];
    size_t hl;
    if (len > 255 || force_long) {
        hdr[0] = (unsigned char) (flags | WU_LONG);
        uint64_t l = len;
        for (int i = 0; i < 8; i++)
            hdr[1 + i] = (unsigned char) (l >> (56 - 8 * i));
        hl = 9;
    } else {
        hdr[0] = (unsigned char) flags;
        hdr[1] = (unsigned char) len;
        hl = 2;
    }
    unsigned char *buf = (unsigned char *) malloc (hl + len + 1);
    if (!buf)
        FAIL ("out of memory");
    memcpy (buf, hdr, hl);
    if (len)
        memcpy (buf + hl, data, len);
    wu_send_all (fd, buf, hl + len);
    free (buf);
}

static inline void wu_send_frame (int fd, int flags, const void *data,
                                  size_t len)
{
    wu_send_frame_ex (fd, flags, data, len, 0);
}

static inline void wu_send_msg_str (int fd, const char *s, int more)
{
    wu_send_frame (fd, more ? WU_MORE : 0, s, strlen (s));
}

/* A command frame: body is <name-len><name><data> (RFC 23 §"Commands"). */
static inline void wu_send_command (int fd, const char *name,
                                    const void *data, size_t len)
{
    size_t nl = strlen (name);
    unsigned char *body = (unsigned char *) malloc (1 + nl + len + 1);
    if (!body)
        FAIL ("out of memory");
    body[0] = (unsigned char) nl;
    memcpy (body + 1, name, nl);
    if (len)
        memcpy (body + 1 + nl, data, len);
    wu_send_frame (fd, WU_COMMAND, body, 1 + nl + len);
    free (body);
}

/* Read one frame (any kind). On WU_OK: *flags, *len set; the body (at most
 * cap bytes are kept, the rest discarded) is in buf. */
static inline int wu_recv_frame (int fd, int *flags, unsigned char *buf,
                                 size_t cap, size_t *len, int timeout_ms)
{
    unsigned char hdr[9];
    int rc = wu_recv_exact (fd, hdr, 2, timeout_ms, NULL);
    if (rc != WU_OK)
        return rc;
    uint64_t l;
    if (hdr[0] & WU_LONG) {
        rc = wu_recv_exact (fd, hdr + 2, 7, timeout_ms, NULL);
        if (rc != WU_OK)
            return rc;
        l = 0;
        for (int i = 0; i < 8; i++)
            l = (l << 8) | hdr[1 + i];
    } else
        l = hdr[1];
    *flags = hdr[0];
    *len = (size_t) l;
    size_t keep = l < cap ? (size_t) l : cap;
    rc = wu_recv_exact (fd, buf, keep, timeout_ms, NULL);
    if (rc != WU_OK)
        return rc;
    for (uint64_t rest = l - keep; rest > 0;) {
        unsigned char junk[512];
        size_t n = rest < sizeof junk ? (size_t) rest : sizeof junk;
        rc = wu_recv_exact (fd, junk, n, timeout_ms, NULL);
        if (rc != WU_OK)
            return rc;
        rest -= n;
    }
    return WU_OK;
}

/* Read frames until a non-command frame; commands (e.g. PING) are skipped.
 * FAILs on timeout or close. */
static inline void wu_expect_msg_frame (int fd, int *flags, unsigned char *buf,
                                        size_t cap, size_t *len,
                                        int timeout_ms)
{
    long long deadline = now_ms () + timeout_ms;
    for (;;) {
        long long left = deadline - now_ms ();
        if (left <= 0)
            FAIL ("no message frame within %d ms", timeout_ms);
        int rc = wu_recv_frame (fd, flags, buf, cap, len, (int) left);
        if (rc != WU_OK)
            FAIL ("reading a message frame: %s",
                  rc == WU_TIMEOUT ? "timeout" : "connection closed");
        if (!(*flags & WU_COMMAND))
            return;
    }
}

/* Expect a message frame whose body equals s and whose MORE bit is more. */
static inline void wu_expect_msg_str (int fd, const char *s, int more)
{
    unsigned char buf[1024];
    int flags;
    size_t len = 0;
    wu_expect_msg_frame (fd, &flags, buf, sizeof buf, &len, 3000);
    if (len != strlen (s) || memcmp (buf, s, len) != 0)
        FAIL ("frame: expected '%s' (%zu bytes), got %zu bytes '%.*s'", s,
              strlen (s), len, (int) (len < 200 ? len : 200), buf);
    if (!!(flags & WU_MORE) != !!more)
        FAIL ("frame '%s': MORE flag is %d, want %d", s, !!(flags & WU_MORE),
              !!more);
}

/* Read frames until a command named `name`; its data (after the name) is
 * copied to data (cap bytes), its length to *len. Other commands and
 * message frames are skipped. Returns WU_OK / WU_TIMEOUT / WU_CLOSED. */
static inline int wu_recv_command (int fd, const char *name,
                                   unsigned char *data, size_t cap,
                                   size_t *len, int timeout_ms)
{
    long long deadline = now_ms () + timeout_ms;
    size_t nl = strlen (name);
    for (;;) {
        long long left = deadline - now_ms ();
        if (left <= 0)
            return WU_TIMEOUT;
        unsigned char buf[1024];
        int flags;
        size_t flen;
        int rc = wu_recv_frame (fd, &flags, buf, sizeof buf, &flen, (int) left);
        if (rc != WU_OK)
            return rc;
        if (!(flags & WU_COMMAND) || flen < 1 || flen > sizeof buf)
            continue;
        if (buf[0] != nl || flen < 1 + nl || memcmp (buf + 1, name, nl) != 0)
            continue;
        size_t dl = flen - 1 - nl;
        if (dl > cap)
            dl = cap;
        memcpy (data, buf + 1 + nl, dl);
        *len = dl;
        return WU_OK;
    }
}

/* ---- NULL mechanism metadata (RFC 23 §"The NULL Security Mechanism") ---- */

/* Build READY's data: a property list. Pass NULL identity to omit it. */
static inline size_t wu_ready_props (unsigned char *out, const char *socket_type,
                                     const char *identity)
{
    size_t n = 0;
    const char *names[2] = {"Socket-Type", "Identity"};
    const char *values[2] = {socket_type, identity};
    for (int i = 0; i < 2; i++) {
        if (!values[i])
            continue;
        size_t nl = strlen (names[i]), vl = strlen (values[i]);
        out[n++] = (unsigned char) nl;
        memcpy (out + n, names[i], nl);
        n += nl;
        out[n++] = (unsigned char) (vl >> 24);
        out[n++] = (unsigned char) (vl >> 16);
        out[n++] = (unsigned char) (vl >> 8);
        out[n++] = (unsigned char) vl;
        memcpy (out + n, values[i], vl);
        n += vl;
    }
    return n;
}

static inline void wu_send_ready (int fd, const char *socket_type,
                                  const char *identity)
{
    unsigned char props[600];
    size_t n = wu_ready_props (props, socket_type, identity);
    wu_send_command (fd, "READY", props, n);
}

/* Look a property up in a metadata list; returns its length or -1. */
static inline int wu_find_prop (const unsigned char *props, size_t len,
                                const char *name, unsigned char *value,
                                size_t cap)
{
    size_t i = 0, nl = strlen (name);
    while (i < len) {
        size_t pl = props[i++];
        if (i + pl + 4 > len)
            return -1;
        const unsigned char *pn = props + i;
        i += pl;
        size_t vl = ((size_t) props[i] << 24) | ((size_t) props[i + 1] << 16)
                    | ((size_t) props[i + 2] << 8) | props[i + 3];
        i += 4;
        if (i + vl > len)
            return -1;
        if (pl == nl && strncasecmp ((const char *) pn, name, nl) == 0) {
            memcpy (value, props + i, vl < cap ? vl : cap);
            return (int) vl;
        }
        i += vl;
    }
    return -1;
}

/* Read the library's READY and check its Socket-Type property. */
static inline void wu_expect_ready (int fd, const char *socket_type)
{
    unsigned char data[1024];
    size_t len = 0;
    int rc = wu_recv_command (fd, "READY", data, sizeof data, &len, 3000);
    if (rc != WU_OK)
        FAIL ("no READY from the library: %s",
              rc == WU_TIMEOUT ? "timeout" : "connection closed");
    unsigned char v[64];
    int vl = wu_find_prop (data, len, "Socket-Type", v, sizeof v);
    if (vl < 0)
        FAIL ("READY without Socket-Type");
    if ((size_t) vl != strlen (socket_type)
        || memcmp (v, socket_type, (size_t) vl) != 0)
        FAIL ("READY Socket-Type '%.*s', want '%s'", vl, v, socket_type);
}

/* The whole NULL handshake as a ZMTP 3.<minor> peer of type socket_type:
 * greeting both ways, READY both ways (the library's Socket-Type must be
 * lib_type). identity may be NULL. */
static inline void wu_handshake (int fd, int minor, const char *socket_type,
                                 const char *identity, const char *lib_type)
{
    unsigned char g[WU_GREETING_SIZE];
    wu_send_greeting (fd, minor, "NULL");
    wu_recv_greeting_null (fd, g);
    wu_send_ready (fd, socket_type, identity);
    wu_expect_ready (fd, lib_type);
}

/* Connect to a zmq socket bound at endpoint and complete the handshake. */
static inline int wu_peer_connect (const char *endpoint, const char *my_type,
                                   const char *lib_type)
{
    int fd = wu_connect_endpoint (endpoint);
    wu_handshake (fd, 1, my_type, NULL, lib_type);
    return fd;
}

/* ---- hostile peers --------------------------------------------------------
 * What the wire_hostile_* cases share: a monitor, "disconnected and nothing
 * else reported", and "the socket still serves a well-behaved peer". */

/* Big-endian 64-bit length, as in long frame headers. */
static inline void wu_put_u64 (unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char) (v >> (56 - 8 * i));
}

/* A PAIR receiving the monitor events `events` of socket s. */
static inline void *wu_monitor (void *ctx, void *s, const char *tag,
                                int events)
{
    char ep[64];
    inproc_endpoint (ep, sizeof ep, tag);
    if (zmq_socket_monitor (s, ep, events) != 0)
        FAIL ("zmq_socket_monitor: errno %d", zmq_errno ());
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    if (!mon || zmq_connect (mon, ep) != 0)
        FAIL ("monitor PAIR: errno %d", zmq_errno ());
    return mon;
}

/* Waits for DISCONNECTED; FAILs on any handshake event before it (libzmq
 * reports a refused frame or malformed READY only by the disconnect). */
static inline void wu_expect_silent_disconnect (void *mon, const char *what)
{
    uint32_t value = 0;
    int ev;
    while ((ev = recv_monitor_event (mon, 3000, &value, NULL, 0))
           != ZMQ_EVENT_DISCONNECTED) {
        if (ev < 0)
            FAIL ("%s: no DISCONNECTED event", what);
        if (ev
            & (ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
               | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
               | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH
               | ZMQ_EVENT_HANDSHAKE_SUCCEEDED))
            FAIL ("%s: unexpected event 0x%x (%u) before DISCONNECTED", what,
                  ev, value);
    }
}

/* A ROUTER bound at ep still serves a DEALER: a request and its reply. */
static inline void wu_router_serves (void *ctx, void *router, const char *ep)
{
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    if (!dealer)
        FAIL ("zmq_socket: errno %d", zmq_errno ());
    if (zmq_setsockopt (dealer, ZMQ_ROUTING_ID, "ok", 2) != 0
        || zmq_connect (dealer, ep) != 0)
        FAIL ("DEALER setup: errno %d", zmq_errno ());
    send_str (dealer, "ping", 0);
    set_int (router, ZMQ_RCVTIMEO, 5000);
    recv_str_eq (router, "ok", 0);
    recv_str_eq (router, "ping", 0);
    send_str (router, "ok", ZMQ_SNDMORE);
    send_str (router, "pong", 0);
    set_int (dealer, ZMQ_RCVTIMEO, 5000);
    recv_str_eq (dealer, "pong", 0);
    set_int (dealer, ZMQ_LINGER, 0);
    zmq_close (dealer);
}

/* ---- ZWS 2.0 (RFC 45, the ws:// transport) over RFC 6455 WebSocket ------
 * A case plays a ws client: an HTTP/1.1 upgrade, then one final binary
 * message per ZMTP frame, its first payload byte the flags (1 MORE,
 * 2 COMMAND). Client frames are masked (RFC 6455 §5.3); server ones not. */
#define WU_WS_BINARY 0x2
#define WU_WS_CLOSE 0x8
#define WU_WS_PING 0x9
#define WU_WS_PONG 0xA
#define WU_WS_MORE 0x01
#define WU_WS_COMMAND 0x02

/* Sends an upgrade request for `path` offering `protocols` and reads the
 * response head byte by byte (so no frame byte is consumed). Returns the
 * HTTP status (101 on success), 0 when the server closed first; the value
 * of Sec-WebSocket-Protocol is copied to proto (may be NULL). */
static inline int wu_ws_upgrade (int fd, const char *path,
                                 const char *protocols, char *proto,
                                 size_t cap)
{
    char req[512];
    int n = snprintf (req, sizeof req,
                      "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Protocol: %s\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n",
                      path, protocols);
    wu_send_all (fd, req, (size_t) n);
    char head[4096];
    size_t len = 0;
    while (len < sizeof head - 1) {
        if (wu_recv_exact (fd, head + len, 1, 3000, NULL) != WU_OK)
            return 0;
        len++;
        if (len >= 4 && memcmp (head + len - 4, "\r\n\r\n", 4) == 0)
            break;
    }
    head[len] = 0;
    if (strncmp (head, "HTTP/1.1 ", 9) != 0)
        FAIL ("upgrade response: '%s'", head);
    if (proto && cap > 0) {
        proto[0] = 0;
        const char *p = strcasestr (head, "\r\nSec-WebSocket-Protocol: ");
        if (p) {
            p += 26;
            size_t k = strcspn (p, "\r");
            if (k >= cap)
                k = cap - 1;
            memcpy (proto, p, k);
            proto[k] = 0;
        }
    }
    return atoi (head + 9);
}

/* One masked client frame; flags < 0 means no flags byte (control frames). */
static inline int wu_ws_try_send (int fd, int opcode, int flags,
                                  const void *data, size_t len)
{
    static const unsigned char key[4] = {0x12, 0x34, 0x56, 0x78};
    size_t plen = len + (flags >= 0);
    unsigned char *f = (unsigned char *) malloc (plen + 14);
    if (!f)
        FAIL ("out of memory");
    size_t h = 0;
    f[h++] = (unsigned char) (0x80 | opcode);
    if (plen <= 125)
        f[h++] = (unsigned char) (0x80 | plen);
    else if (plen <= 0xFFFF) {
        f[h++] = 0x80 | 126;
        f[h++] = (unsigned char) (plen >> 8);
        f[h++] = (unsigned char) plen;
    } else {
        f[h++] = 0x80 | 127;
        for (int i = 7; i >= 0; i--)
            f[h++] = (unsigned char) ((uint64_t) plen >> (8 * i));
    }
    memcpy (f + h, key, 4);
    h += 4;
    size_t i = 0;
    if (flags >= 0) {
        f[h + i] = (unsigned char) flags ^ key[0];
        i++;
    }
    for (size_t j = 0; j < len; j++, i++)
        f[h + i] = ((const unsigned char *) data)[j] ^ key[i % 4];
    int rc = wu_try_send_all (fd, f, h + plen);
    free (f);
    return rc;
}

static inline void wu_ws_send (int fd, int opcode, int flags,
                               const void *data, size_t len)
{
    if (wu_ws_try_send (fd, opcode, flags, data, len) != 0)
        FAIL ("sending a ws frame: %s", strerror (errno));
}

/* A ZMTP command as a ws message: name-length, name, data. */
static inline void wu_ws_send_command (int fd, const char *name,
                                       const void *data, size_t len)
{
    unsigned char body[512];
    size_t nl = strlen (name);
    if (1 + nl + len > sizeof body)
        FAIL ("command too long");
    body[0] = (unsigned char) nl;
    memcpy (body + 1, name, nl);
    memcpy (body + 1 + nl, data, len);
    wu_ws_send (fd, WU_WS_BINARY, WU_WS_COMMAND, body, 1 + nl + len);
}

/* Reads one unmasked server frame: opcode, the flags byte of a binary
 * message (-1 for control frames) and the rest of the payload (truncated
 * to cap; *len is its full size). WU_OK / WU_TIMEOUT / WU_CLOSED. */
static inline int wu_ws_recv (int fd, int *opcode, int *flags,
                              unsigned char *buf, size_t cap, size_t *len,
                              int timeout_ms)
{
    unsigned char h[10];
    int rc = wu_recv_exact (fd, h, 2, timeout_ms, NULL);
    if (rc != WU_OK)
        return rc;
    if (!(h[0] & 0x80))
        FAIL ("server sent a non-final ws frame");
    if (h[1] & 0x80)
        FAIL ("server sent a masked ws frame");
    *opcode = h[0] & 0x0F;
    uint64_t plen = h[1] & 0x7F;
    if (plen >= 126) {
        size_t k = plen == 126 ? 2 : 8;
        rc = wu_recv_exact (fd, h, k, timeout_ms, NULL);
        if (rc != WU_OK)
            return rc;
        plen = 0;
        for (size_t i = 0; i < k; i++)
            plen = (plen << 8) | h[i];
    }
    *flags = -1;
    if (*opcode == WU_WS_BINARY) {
        if (plen == 0)
            FAIL ("server sent an empty binary ws message");
        unsigned char f;
        rc = wu_recv_exact (fd, &f, 1, timeout_ms, NULL);
        if (rc != WU_OK)
            return rc;
        *flags = f;
        plen--;
    }
    *len = (size_t) plen;
    for (uint64_t i = 0; i < plen; i++) {
        unsigned char b;
        rc = wu_recv_exact (fd, &b, 1, timeout_ms, NULL);
        if (rc != WU_OK)
            return rc;
        if (i < cap)
            buf[i] = b;
    }
    return WU_OK;
}

/* SHA-1 (FIPS 180-4) and base64, just enough for Sec-WebSocket-Accept. */
static inline uint32_t wu_rol (uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static inline void wu_sha1 (const unsigned char *msg, size_t len,
                            unsigned char out[20])
{
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476,
                     0xC3D2E1F0};
    size_t total = ((len + 8) / 64 + 1) * 64;
    unsigned char *m = (unsigned char *) calloc (total, 1);
    if (!m)
        FAIL ("out of memory");
    memcpy (m, msg, len);
    m[len] = 0x80;
    uint64_t bits = (uint64_t) len * 8;
    for (int i = 0; i < 8; i++)
        m[total - 1 - i] = (unsigned char) (bits >> (8 * i));
    for (size_t off = 0; off < total; off += 64) {
        uint32_t w[80];
        for (int i = 0; i < 16; i++)
            w[i] = (uint32_t) m[off + 4 * i] << 24
                   | (uint32_t) m[off + 4 * i + 1] << 16
                   | (uint32_t) m[off + 4 * i + 2] << 8 | m[off + 4 * i + 3];
        for (int i = 16; i < 80; i++)
            w[i] = wu_rol (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; i++) {
            uint32_t f, k;
            if (i < 20) {
                f = (b & c) | (~b & d);
                k = 0x5A827999;
            } else if (i < 40) {
                f = b ^ c ^ d;
                k = 0x6ED9EBA1;
            } else if (i < 60) {
                f = (b & c) | (b & d) | (c & d);
                k = 0x8F1BBCDC;
            } else {
                f = b ^ c ^ d;
                k = 0xCA62C1D6;
            }
            uint32_t t = wu_rol (a, 5) + f + e + k + w[i];
            e = d;
            d = c;
            c = wu_rol (b, 30);
            b = a;
            a = t;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
    }
    free (m);
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 4; j++)
            out[4 * i + j] = (unsigned char) (h[i] >> (24 - 8 * j));
}

static inline void wu_base64 (const unsigned char *in, size_t len, char *out)
{
    static const char t[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t) in[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t) in[i + 1] << 8;
        if (i + 2 < len)
            v |= in[i + 2];
        out[o++] = t[(v >> 18) & 63];
        out[o++] = t[(v >> 12) & 63];
        out[o++] = i + 1 < len ? t[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? t[v & 63] : '=';
    }
    out[o] = 0;
}

/* Sec-WebSocket-Accept for a key (RFC 6455 §4.2.2). out holds 29 bytes. */
static inline void wu_ws_accept (const char *key, char out[29])
{
    char buf[128];
    snprintf (buf, sizeof buf, "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
    unsigned char d[20];
    wu_sha1 ((const unsigned char *) buf, strlen (buf), d);
    wu_base64 (d, 20, out);
}

#endif
