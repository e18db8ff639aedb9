/* behaviour: zmq_msg_recv into a message that already holds content releases that content (its free function runs) */
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
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    CHECK_OK (zmq_bind (a, "inproc://msg-recv-release"));
    CHECK_OK (zmq_connect (b, "inproc://msg-recv-release"));
    send_str (b, "new content", 0);
    char *old = malloc (200);
    CHECK (old);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init_data (&m, old, 200, my_free, NULL));
    CHECK_EQ_INT (zmq_msg_recv (&m, a, 0), 11);
    CHECK_EQ_INT (calls, 1);
    CHECK (memcmp (zmq_msg_data (&m), "new content", 11) == 0);
    CHECK_OK (zmq_msg_close (&m));
    CHECK_EQ_INT (calls, 1);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
