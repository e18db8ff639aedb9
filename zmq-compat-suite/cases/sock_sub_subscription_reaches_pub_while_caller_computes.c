/* behaviour: a tcp SUB's subscription reaches its PUB in the same context while the subscribing thread keeps computing (one CPU, 1 ms of work between zmq_setsockopt and zmq_send): most such messages are delivered. */
#include "testutil.h"
#include <sched.h>

/* pyzmq's test_log subscribes, does a little Python work and publishes at
 * once, without sleeping. libzmq passes the subscription on through its
 * I/O thread, whose mailbox wakeup preempts the busy caller, so the PUB
 * knows the topic by the time it sends. Everything here runs on one CPU so
 * that the I/O threads can only run when the caller lets them (or is
 * preempted for them): a library whose subscription waits until the caller
 * sleeps loses nearly every message. libzmq itself loses an occasional one
 * on a loaded machine, hence "most". */

#define ROUNDS 40
#define WORK_US 1000

static long long now_us (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int main (void)
{
    test_deadline (20);
    /* Before the context exists: its threads inherit the mask. */
    int cpu = sched_getcpu ();
    cpu_set_t one;
    CPU_ZERO (&one);
    CPU_SET (cpu < 0 ? 0 : cpu, &one);
    if (sched_setaffinity (0, sizeof one, &one) != 0)
        FAIL ("sched_setaffinity failed");

    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    CHECK (pub && sub);
    char ep[256];
    bind_tcp_ephemeral (pub, ep, sizeof ep);
    CHECK_OK (zmq_connect (sub, ep));
    CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "probe", 5));
    pubsub_settle (pub, sub, "probe");

    int lost = 0;
    char buf[64];
    for (int i = 0; i < ROUNDS; i++) {
        /* Let every thread go idle, as between two tests. */
        msleep (5);
        char topic[32];
        snprintf (topic, sizeof topic, "topic-%d", i);
        CHECK_OK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, topic, strlen (topic)));
        long long start = now_us ();
        while (now_us () - start < WORK_US)
            ;
        send_str (pub, topic, 0);
        int n = recv_str_within (sub, buf, sizeof buf, 100);
        if (n < 0)
            lost++;
        else if (strcmp (buf, topic) != 0)
            FAIL ("expected '%s', got '%s'", topic, buf);
        CHECK_OK (
          zmq_setsockopt (sub, ZMQ_UNSUBSCRIBE, topic, strlen (topic)));
        if (lost > ROUNDS / 2)
            FAIL ("more than %d of %d messages published 1 ms after the "
                  "subscription were lost",
                  ROUNDS / 2, i + 1);
    }
    printf ("%d of %d lost\n", lost, ROUNDS);

    set_int (sub, ZMQ_LINGER, 0);
    set_int (pub, ZMQ_LINGER, 0);
    zmq_close (sub);
    zmq_close (pub);
    zmq_ctx_term (ctx);
    return 0;
}
