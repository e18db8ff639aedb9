/* behaviour: a zmq_msg_init_data message sent over inproc and tcp has its free function called exactly once, after delivery */
#include "testutil.h"

static int calls;

static void my_free (void *data, void *hint)
{
    (void) hint;
    __atomic_add_fetch (&calls, 1, __ATOMIC_SEQ_CST);
    free (data);
}

static void one_transport (const char *bind_ep)
{
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    char ep[256];
    bind_endpoint (a, bind_ep, ep, sizeof ep);
    CHECK_OK (zmq_connect (b, ep));
    __atomic_store_n (&calls, 0, __ATOMIC_SEQ_CST);
    char *buf = malloc (1000);
    CHECK (buf);
    memset (buf, 'd', 1000);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init_data (&m, buf, 1000, my_free, NULL));
    CHECK_EQ_INT (zmq_msg_send (&m, b, 0), 1000);
    /* After a successful send the library owns the content. */
    zmq_msg_t r;
    CHECK_OK (zmq_msg_init (&r));
    CHECK_EQ_INT (zmq_msg_recv (&r, a, 0), 1000);
    CHECK (((char *) zmq_msg_data (&r))[999] == 'd');
    CHECK_OK (zmq_msg_close (&r));
    CHECK_OK (zmq_msg_close (&m)); /* closing the sent (nullified) msg */
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    int n = __atomic_load_n (&calls, __ATOMIC_SEQ_CST);
    if (n != 1)
        FAIL ("%s: free function called %d times, expected 1", bind_ep, n);
}

int main (void)
{
    test_deadline (20);
    one_transport ("inproc://msg-free-after-send");
    one_transport ("tcp");
    return 0;
}
