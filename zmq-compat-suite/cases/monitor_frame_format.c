/* behaviour: a monitor event is exactly two frames: 6 bytes (uint16 event, uint32 value, host order) with MORE, then the endpoint without NUL */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && s && mon);
    set_int (mon, ZMQ_LINGER, 0);
    CHECK_OK (zmq_socket_monitor (s, "inproc://monitor-format",
                                  ZMQ_EVENT_LISTENING));
    CHECK_OK (zmq_connect (mon, "inproc://monitor-format"));
    char ep[256];
    bind_tcp_ephemeral (s, ep, sizeof ep);

    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    CHECK_EQ_INT (zmq_msg_recv (&m, mon, 0), 6);
    CHECK_EQ_INT (zmq_msg_more (&m), 1);
    unsigned char raw[6];
    memcpy (raw, zmq_msg_data (&m), 6);
    uint16_t event;
    memcpy (&event, raw, 2);
    CHECK_EQ_INT (event, ZMQ_EVENT_LISTENING);
    CHECK_EQ_INT (zmq_msg_recv (&m, mon, 0), strlen (ep));
    CHECK_EQ_INT (zmq_msg_more (&m), 0);
    CHECK (memcmp (zmq_msg_data (&m), ep, strlen (ep)) == 0);
    CHECK_OK (zmq_msg_close (&m));
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_close (mon));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
