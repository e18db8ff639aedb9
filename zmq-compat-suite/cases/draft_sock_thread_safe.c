/* behaviour: thread-safe sockets: two threads sending on one CLIENT and blocking at a small high-water mark, and two threads receiving from one GATHER, lose and hang on nothing */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass: zmq-compat-suite/run /tmp/lzd/build/lib 'draft_sock_*') and skipped
 * on Debian's stable libzmq 4.3.4. */
#include "draftutil.h"

#define PER_THREAD 4000

static void *sender (void *s)
{
    for (int i = 0; i < PER_THREAD; i++)
        send_str (s, "0", 0);
    send_str (s, "1", 0);
    return NULL;
}

static int received[2];

static void *receiver (void *arg)
{
    void **s = (void **) arg;
    char c;
    int *count = (int *) s[1];
    for (;;) {
        int n = zmq_recv (s[0], &c, 1, 0);
        if (n < 0)
            FAIL ("recv: errno %d (%s)", zmq_errno (),
                  zmq_strerror (zmq_errno ()));
        if (c == 'x')
            break;
        (*count)++;
    }
    return NULL;
}

int main (void)
{
    test_deadline (25);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    void *server = zmq_socket (ctx, ZMQ_SERVER);
    void *client = zmq_socket (ctx, ZMQ_CLIENT);
    set_int (client, ZMQ_SNDHWM, 5);
    set_int (server, ZMQ_RCVHWM, 5);
    char ep[256];
    bind_tcp_ephemeral (server, ep, sizeof ep);
    CHECK_OK (zmq_connect (client, ep));
    pthread_t t1 = thread_start (sender, client);
    pthread_t t2 = thread_start (sender, client);
    int done = 0, total = 0;
    char c;
    while (done < 2) {
        CHECK_EQ_INT (zmq_recv (server, &c, 1, 0), 1);
        total++;
        if (c == '1')
            done++;
    }
    pthread_join (t1, NULL);
    pthread_join (t2, NULL);
    CHECK_EQ_INT (total, 2 * PER_THREAD + 2);

    /* Two receivers on one GATHER. */
    void *gather = zmq_socket (ctx, ZMQ_GATHER);
    void *scatter = zmq_socket (ctx, ZMQ_SCATTER);
    set_int (gather, ZMQ_RCVHWM, 5);
    char ep2[256];
    bind_tcp_ephemeral (gather, ep2, sizeof ep2);
    CHECK_OK (zmq_connect (scatter, ep2));
    void *a1[2] = {gather, &received[0]};
    void *a2[2] = {gather, &received[1]};
    pthread_t r1 = thread_start (receiver, a1);
    pthread_t r2 = thread_start (receiver, a2);
    for (int i = 0; i < 2 * PER_THREAD; i++)
        send_str (scatter, "m", 0);
    send_str (scatter, "x", 0);
    send_str (scatter, "x", 0);
    pthread_join (r1, NULL);
    pthread_join (r2, NULL);
    CHECK_EQ_INT (received[0] + received[1], 2 * PER_THREAD);

    zmq_close (scatter);
    zmq_close (gather);
    zmq_close (client);
    zmq_close (server);
    zmq_ctx_term (ctx);
    return 0;
}
