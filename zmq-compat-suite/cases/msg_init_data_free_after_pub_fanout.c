/* behaviour: a zmq_msg_init_data message published to several subscribers has its free function called exactly once, after all deliveries */
#include "testutil.h"

#define SUBS 3

static int calls;
static void my_free (void *data, void *hint)
{
    (void) hint;
    __atomic_add_fetch (&calls, 1, __ATOMIC_SEQ_CST);
    free (data);
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    CHECK (ctx && pub);
    CHECK_OK (zmq_bind (pub, "inproc://msg-fanout"));
    char ep[256];
    bind_tcp_ephemeral (pub, ep, sizeof ep);
    void *sub[SUBS];
    for (int i = 0; i < SUBS; i++) {
        sub[i] = zmq_socket (ctx, ZMQ_SUB);
        CHECK (sub[i]);
        CHECK_OK (zmq_setsockopt (sub[i], ZMQ_SUBSCRIBE, "", 0));
        /* Mix transports: inproc shares the content, tcp copies it out. */
        CHECK_OK (zmq_connect (sub[i], i == 0 ? "inproc://msg-fanout" : ep));
    }
    /* Wait until every subscriber receives a probe. */
    int ready[SUBS] = {0}, nready = 0;
    long long deadline = now_ms () + 5000;
    while (nready < SUBS) {
        if (now_ms () > deadline)
            FAIL ("subscribers not connected after 5 s");
        send_str (pub, "probe", 0);
        msleep (20);
        for (int i = 0; i < SUBS; i++) {
            char buf[16];
            while (zmq_recv (sub[i], buf, sizeof buf, ZMQ_DONTWAIT) >= 0)
                if (!ready[i]) {
                    ready[i] = 1;
                    nready++;
                }
        }
    }
    char *buf = malloc (500);
    CHECK (buf);
    memset (buf, 'F', 500);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init_data (&m, buf, 500, my_free, NULL));
    CHECK_EQ_INT (zmq_msg_send (&m, pub, 0), 500);
    CHECK_OK (zmq_msg_close (&m));
    for (int i = 0; i < SUBS; i++) {
        zmq_msg_t r;
        CHECK_OK (zmq_msg_init (&r));
        for (;;) {
            CHECK_OK (zmq_msg_recv (&r, sub[i], 0));
            if (zmq_msg_size (&r) == 500)
                break; /* skip late probes */
        }
        CHECK (((char *) zmq_msg_data (&r))[499] == 'F');
        CHECK_OK (zmq_msg_close (&r));
    }
    for (int i = 0; i < SUBS; i++)
        CHECK_OK (zmq_close (sub[i]));
    CHECK_OK (zmq_close (pub));
    CHECK_OK (zmq_ctx_term (ctx));
    int n = __atomic_load_n (&calls, __ATOMIC_SEQ_CST);
    if (n != 1)
        FAIL ("free function called %d times, expected 1", n);
    return 0;
}
