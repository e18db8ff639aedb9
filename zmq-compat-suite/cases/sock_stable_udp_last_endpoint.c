/* behaviour: a udp bind (DGRAM) or connect (RADIO) leaves ZMQ_LAST_ENDPOINT as the address without the "udp://" scheme, as given ("*:port" stays "*") */
/* The draft types' numbers are not in the stable header. Checked on
 * Debian's stable libzmq 4.3.4 (the reference) and on libzmq 4.3.5 built
 * with drafts (/tmp/lzd/build/lib): same answers. */
#include "testutil.h"

#define T_RADIO 14
#define T_DGRAM 18

static void check_last (void *s, const char *expect)
{
    char last[256];
    size_t len = sizeof last;
    CHECK_OK (zmq_getsockopt (s, ZMQ_LAST_ENDPOINT, last, &len));
    CHECK (strcmp (last, expect) == 0);
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    int port = 20000 + (getpid () * 2) % 29990;
    char ep[64], expect[64];

    void *d = zmq_socket (ctx, T_DGRAM);
    CHECK (d);
    snprintf (ep, sizeof ep, "udp://127.0.0.1:%d", port);
    snprintf (expect, sizeof expect, "127.0.0.1:%d", port);
    CHECK_OK (zmq_bind (d, ep));
    check_last (d, expect);
    zmq_close (d);

    d = zmq_socket (ctx, T_DGRAM);
    CHECK (d);
    snprintf (ep, sizeof ep, "udp://*:%d", port + 1);
    snprintf (expect, sizeof expect, "*:%d", port + 1);
    CHECK_OK (zmq_bind (d, ep));
    check_last (d, expect);
    zmq_close (d);

    void *r = zmq_socket (ctx, T_RADIO);
    CHECK (r);
    snprintf (ep, sizeof ep, "udp://127.0.0.1:%d", port);
    snprintf (expect, sizeof expect, "127.0.0.1:%d", port);
    CHECK_OK (zmq_connect (r, ep));
    check_last (r, expect);
    zmq_close (r);

    zmq_ctx_term (ctx);
    return 0;
}
