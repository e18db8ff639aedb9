/* behaviour: a large zmq_msg_init_data message (1 MiB; 64 KiB sent with a zmq_msg_copy of it) over tcp and ipc arrives intact and has its free function called exactly once */
#include "testutil.h"

static int calls;

static void my_free (void *data, void *hint)
{
    (void) hint;
    __atomic_add_fetch (&calls, 1, __ATOMIC_SEQ_CST);
    free (data);
}

static void check_body (zmq_msg_t *r, size_t size, char fill)
{
    const char *p = (const char *) zmq_msg_data (r);
    CHECK_EQ_INT ((int) zmq_msg_size (r), (int) size);
    for (size_t i = 0; i < size; i += 4093)
        CHECK (p[i] == fill);
    CHECK (p[size - 1] == fill);
}

static void one_transport (const char *bind_ep, size_t size, int with_copy)
{
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (ctx && a && b);
    char ep[256];
    bind_endpoint (a, bind_ep, ep, sizeof ep);
    CHECK_OK (zmq_connect (b, ep));
    __atomic_store_n (&calls, 0, __ATOMIC_SEQ_CST);
    char *buf = malloc (size);
    CHECK (buf);
    memset (buf, 'L', size);
    zmq_msg_t m, c;
    CHECK_OK (zmq_msg_init_data (&m, buf, size, my_free, NULL));
    CHECK_OK (zmq_msg_init (&c));
    if (with_copy)
        CHECK_OK (zmq_msg_copy (&c, &m));
    CHECK_EQ_INT (zmq_msg_send (&m, b, 0), (int) size);
    if (with_copy)
        CHECK_EQ_INT (zmq_msg_send (&c, b, 0), (int) size);
    zmq_msg_t r;
    CHECK_OK (zmq_msg_init (&r));
    CHECK_EQ_INT (zmq_msg_recv (&r, a, 0), (int) size);
    check_body (&r, size, 'L');
    if (with_copy) {
        CHECK_EQ_INT (zmq_msg_recv (&r, a, 0), (int) size);
        check_body (&r, size, 'L');
    }
    CHECK_OK (zmq_msg_close (&r));
    CHECK_OK (zmq_msg_close (&m));
    CHECK_OK (zmq_msg_close (&c));
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    if (strncmp (bind_ep, "ipc://", 6) == 0)
        unlink (bind_ep + 6);
    int n = __atomic_load_n (&calls, __ATOMIC_SEQ_CST);
    if (n != 1)
        FAIL ("%s (%zu bytes%s): free function called %d times, expected 1",
              bind_ep, size, with_copy ? ", copied" : "", n);
}

int main (void)
{
    test_deadline (30);
    one_transport ("tcp", 1 << 20, 0);
    one_transport ("tcp", 64 << 10, 1);
    char ep[128];
    ipc_endpoint (ep, sizeof ep, "large-free");
    one_transport (ep, 1 << 20, 0);
    ipc_endpoint (ep, sizeof ep, "large-free-copy");
    one_transport (ep, 64 << 10, 1);
    return 0;
}
