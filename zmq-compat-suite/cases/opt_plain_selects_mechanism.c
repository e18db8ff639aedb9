/* behaviour: setting PLAIN_USERNAME/PASSWORD makes the socket a PLAIN client, PLAIN_SERVER 1 a PLAIN server, and clearing them returns to NULL */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *c = zmq_socket (ctx, ZMQ_DEALER);
    void *s = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (ctx && c && s);
    CHECK_OK (zmq_setsockopt (c, ZMQ_PLAIN_USERNAME, "user", 4));
    CHECK_EQ_INT (get_int (c, ZMQ_MECHANISM), ZMQ_PLAIN);
    CHECK_EQ_INT (get_int (c, ZMQ_PLAIN_SERVER), 0);
    CHECK_OK (zmq_setsockopt (c, ZMQ_PLAIN_PASSWORD, "pw", 2));
    CHECK_EQ_INT (get_int (c, ZMQ_MECHANISM), ZMQ_PLAIN);
    CHECK_OK (zmq_setsockopt (c, ZMQ_PLAIN_USERNAME, NULL, 0));
    CHECK_EQ_INT (get_int (c, ZMQ_MECHANISM), ZMQ_NULL);

    set_int (s, ZMQ_PLAIN_SERVER, 1);
    CHECK_EQ_INT (get_int (s, ZMQ_MECHANISM), ZMQ_PLAIN);
    CHECK_EQ_INT (get_int (s, ZMQ_PLAIN_SERVER), 1);
    set_int (s, ZMQ_PLAIN_SERVER, 0);
    CHECK_EQ_INT (get_int (s, ZMQ_MECHANISM), ZMQ_NULL);
    CHECK_EQ_INT (get_int (s, ZMQ_PLAIN_SERVER), 0);
    CHECK_OK (zmq_close (c));
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
