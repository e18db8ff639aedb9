/* behaviour: out-of-range int option values (negative HWM, LINGER < -1, RATE 0, boolean options other than 0/1, ...) fail with EINVAL and leave the old value */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && s);
    const struct
    {
        int opt, value;
    } cases[] = {
      {ZMQ_SNDHWM, -1},           {ZMQ_RCVHWM, -5},
      {ZMQ_LINGER, -2},           {ZMQ_RCVTIMEO, -2},
      {ZMQ_SNDTIMEO, -2},         {ZMQ_RECONNECT_IVL, -2},
      {ZMQ_RECONNECT_IVL_MAX, -1}, {ZMQ_BACKLOG, -1},
      {ZMQ_RATE, 0},              {ZMQ_RECOVERY_IVL, -1},
      {ZMQ_SNDBUF, -2},           {ZMQ_MULTICAST_HOPS, 0},
      {ZMQ_MULTICAST_MAXTPDU, 0}, {ZMQ_TCP_KEEPALIVE, 2},
      {ZMQ_TCP_KEEPALIVE, -2},    {ZMQ_IMMEDIATE, 2},
      {ZMQ_CONFLATE, 2},          {ZMQ_TOS, -1},
      {ZMQ_HANDSHAKE_IVL, -1},    {ZMQ_HEARTBEAT_IVL, -1},
      {ZMQ_CONNECT_TIMEOUT, -1},  {ZMQ_TCP_MAXRT, -1},
      {ZMQ_USE_FD, -2},           {ZMQ_PLAIN_SERVER, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int before = get_int (s, cases[i].opt);
        int v = cases[i].value;
        if (zmq_setsockopt (s, cases[i].opt, &v, sizeof v) != -1
            || zmq_errno () != EINVAL)
            FAIL ("option %d = %d did not fail with EINVAL", cases[i].opt, v);
        if (get_int (s, cases[i].opt) != before)
            FAIL ("option %d changed after a refused value", cases[i].opt);
    }
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
