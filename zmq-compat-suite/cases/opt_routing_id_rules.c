/* behaviour: ZMQ_ROUTING_ID accepts 1..255 bytes (reading back exactly), rejects an empty or 256-byte id with EINVAL; ZMQ_IDENTITY is the same option */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && s);
    CHECK_EQ_INT (ZMQ_IDENTITY, ZMQ_ROUTING_ID);
    char id[256];
    for (int i = 0; i < 256; i++)
        id[i] = (char) ('a' + i % 26);
    CHECK_ERR (zmq_setsockopt (s, ZMQ_ROUTING_ID, id, 0), EINVAL);
    CHECK_ERR (zmq_setsockopt (s, ZMQ_ROUTING_ID, id, 256), EINVAL);
    char buf[300];
    size_t l = sizeof buf;
    CHECK_OK (zmq_getsockopt (s, ZMQ_ROUTING_ID, buf, &l));
    CHECK_EQ_INT (l, 0);

    CHECK_OK (zmq_setsockopt (s, ZMQ_ROUTING_ID, id, 255));
    l = sizeof buf;
    CHECK_OK (zmq_getsockopt (s, ZMQ_ROUTING_ID, buf, &l));
    CHECK_EQ_INT (l, 255);
    CHECK (memcmp (buf, id, 255) == 0);

    CHECK_OK (zmq_setsockopt (s, ZMQ_IDENTITY, "x", 1));
    l = sizeof buf;
    CHECK_OK (zmq_getsockopt (s, ZMQ_ROUTING_ID, buf, &l));
    CHECK_EQ_INT (l, 1);
    CHECK (buf[0] == 'x');

    /* Binary ids with embedded zero bytes read back intact. */
    const char bin[4] = {'a', 0, 'b', 0};
    CHECK_OK (zmq_setsockopt (s, ZMQ_ROUTING_ID, bin, 4));
    l = sizeof buf;
    CHECK_OK (zmq_getsockopt (s, ZMQ_ROUTING_ID, buf, &l));
    CHECK_EQ_INT (l, 4);
    CHECK (memcmp (buf, bin, 4) == 0);
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
