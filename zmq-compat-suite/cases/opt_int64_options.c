/* behaviour: ZMQ_MAXMSGSIZE (int64) and ZMQ_AFFINITY (uint64) round-trip full 64-bit values */
#include "testutil.h"
#include <stdint.h>

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    CHECK (ctx && s);
    int64_t mms = (int64_t) 1 << 40;
    CHECK_OK (zmq_setsockopt (s, ZMQ_MAXMSGSIZE, &mms, sizeof mms));
    int64_t got = 0;
    size_t l = sizeof got;
    CHECK_OK (zmq_getsockopt (s, ZMQ_MAXMSGSIZE, &got, &l));
    CHECK_EQ_INT (l, 8);
    CHECK (got == mms);
    uint64_t aff = 0x8000000000000003ull, agot = 0;
    CHECK_OK (zmq_setsockopt (s, ZMQ_AFFINITY, &aff, sizeof aff));
    l = sizeof agot;
    CHECK_OK (zmq_getsockopt (s, ZMQ_AFFINITY, &agot, &l));
    CHECK_EQ_INT (l, 8);
    CHECK (agot == aff);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
