/* behaviour: a stable build still reads and writes ZAP_ENFORCE_DOMAIN (93), LOOPBACK_FASTPATH (94) and MULTICAST_LOOP (96): defaults 0, 0, 1; any int sets them, non-zero reads back 1; a wrong size is EINVAL */
#include "testutil.h"

/* zmq.h declares these only under ZMQ_BUILD_DRAFT_API, but libzmq's option
 * code handles them in every build, and pyzmq reads every int option back. */
#define OPT_ZAP_ENFORCE_DOMAIN 93
#define OPT_LOOPBACK_FASTPATH 94
#define OPT_MULTICAST_LOOP 96

static void check_option (void *s, int opt, int dflt)
{
    CHECK_EQ_INT (get_int (s, opt), dflt);
    set_int (s, opt, 5);
    CHECK_EQ_INT (get_int (s, opt), 1);
    set_int (s, opt, 0);
    CHECK_EQ_INT (get_int (s, opt), 0);
    set_int (s, opt, -1);
    CHECK_EQ_INT (get_int (s, opt), 1);
    char one = 1;
    CHECK_ERR (zmq_setsockopt (s, opt, &one, 1), EINVAL);
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    int types[] = {ZMQ_PAIR, ZMQ_PUB, ZMQ_SUB, ZMQ_DEALER, ZMQ_ROUTER};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        void *s = zmq_socket (ctx, types[i]);
        CHECK (s);
        check_option (s, OPT_ZAP_ENFORCE_DOMAIN, 0);
        check_option (s, OPT_LOOPBACK_FASTPATH, 0);
        check_option (s, OPT_MULTICAST_LOOP, 1);
        CHECK_OK (zmq_close (s));
    }
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
