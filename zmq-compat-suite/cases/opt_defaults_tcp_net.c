/* behaviour: TCP_KEEPALIVE/_CNT/_IDLE/_INTVL default to -1, TOS 0, IPV6 0, IPV4ONLY 1, IMMEDIATE 0, AFFINITY 0 (uint64) */
#include "testutil.h"
#include <stdint.h>

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (ctx && s);
    CHECK_EQ_INT (get_int (s, ZMQ_TCP_KEEPALIVE), -1);
    CHECK_EQ_INT (get_int (s, ZMQ_TCP_KEEPALIVE_CNT), -1);
    CHECK_EQ_INT (get_int (s, ZMQ_TCP_KEEPALIVE_IDLE), -1);
    CHECK_EQ_INT (get_int (s, ZMQ_TCP_KEEPALIVE_INTVL), -1);
    CHECK_EQ_INT (get_int (s, ZMQ_TOS), 0);
    CHECK_EQ_INT (get_int (s, ZMQ_IPV6), 0);
    CHECK_EQ_INT (get_int (s, ZMQ_IPV4ONLY), 1);
    CHECK_EQ_INT (get_int (s, ZMQ_IMMEDIATE), 0);
    uint64_t aff = 99;
    size_t l = sizeof aff;
    CHECK_OK (zmq_getsockopt (s, ZMQ_AFFINITY, &aff, &l));
    CHECK_EQ_INT (l, sizeof (uint64_t));
    CHECK_EQ_INT (aff, 0);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
