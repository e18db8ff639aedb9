/* behaviour: after a zmq_msg_recv that fails with EAGAIN the message is still valid: reusable, closable once, its old content freed exactly once */
#include "testutil.h"

static int calls;
static void my_free (void *data, void *hint)
{
    (void) hint;
    calls++;
    free (data);
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PULL);
    void *b = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (ctx && a && b);
    CHECK_OK (zmq_bind (a, "inproc://msg-recv-fail"));
    CHECK_OK (zmq_connect (b, "inproc://msg-recv-fail"));
    char *old = malloc (100);
    CHECK (old);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init_data (&m, old, 100, my_free, NULL));
    CHECK_ERR (zmq_msg_recv (&m, a, ZMQ_DONTWAIT), EAGAIN);
    CHECK (calls <= 1);
    /* Still usable for a later receive. */
    send_str (b, "later", 0);
    CHECK_EQ_INT (zmq_msg_recv (&m, a, 0), 5);
    CHECK (memcmp (zmq_msg_data (&m), "later", 5) == 0);
    CHECK_EQ_INT (calls, 1);
    CHECK_OK (zmq_msg_close (&m));
    CHECK_EQ_INT (calls, 1);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
