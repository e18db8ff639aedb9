/* behaviour: every settable stable int option reads back the value it was set to */
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
      {ZMQ_SNDHWM, 0},          {ZMQ_SNDHWM, 12345},
      {ZMQ_RCVHWM, 7},          {ZMQ_RATE, 5000},
      {ZMQ_RECOVERY_IVL, 0},    {ZMQ_SNDBUF, 65536},
      {ZMQ_RCVBUF, 0},          {ZMQ_LINGER, 0},
      {ZMQ_LINGER, 1500},       {ZMQ_RECONNECT_IVL, -1},
      {ZMQ_RECONNECT_IVL, 250}, {ZMQ_RECONNECT_IVL_MAX, 5000},
      {ZMQ_BACKLOG, 7},         {ZMQ_MULTICAST_HOPS, 16},
      {ZMQ_RCVTIMEO, 0},        {ZMQ_RCVTIMEO, 900},
      {ZMQ_SNDTIMEO, 1},        {ZMQ_TCP_KEEPALIVE, 1},
      {ZMQ_TCP_KEEPALIVE, 0},   {ZMQ_TCP_KEEPALIVE_CNT, 5},
      {ZMQ_TCP_KEEPALIVE_IDLE, 60}, {ZMQ_TCP_KEEPALIVE_INTVL, 10},
      {ZMQ_IMMEDIATE, 1},       {ZMQ_CONFLATE, 1},
      {ZMQ_TOS, 0x10},          {ZMQ_HANDSHAKE_IVL, 0},
      {ZMQ_HANDSHAKE_IVL, 4000}, {ZMQ_HEARTBEAT_IVL, 1000},
      {ZMQ_HEARTBEAT_TIMEOUT, 3000}, {ZMQ_CONNECT_TIMEOUT, 2500},
      {ZMQ_TCP_MAXRT, 8000},    {ZMQ_MULTICAST_MAXTPDU, 9000},
      {ZMQ_INVERT_MATCHING, 1}, {ZMQ_USE_FD, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        set_int (s, cases[i].opt, cases[i].value);
        int got = get_int (s, cases[i].opt);
        if (got != cases[i].value)
            FAIL ("option %d: set %d, read back %d", cases[i].opt,
                  cases[i].value, got);
    }
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
