/* behaviour: atomic counter increments from several threads are never lost */
#include "testutil.h"

#define THREADS 4
#define PER_THREAD 100000

static void *counter;

static void *bump (void *arg)
{
    (void) arg;
    for (int i = 0; i < PER_THREAD; i++)
        zmq_atomic_counter_inc (counter);
    return NULL;
}

static void *unbump (void *arg)
{
    (void) arg;
    for (int i = 0; i < PER_THREAD; i++)
        zmq_atomic_counter_dec (counter);
    return NULL;
}

int main (void)
{
    test_deadline (20);
    counter = zmq_atomic_counter_new ();
    CHECK (counter);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        t[i] = thread_start (bump, NULL);
    for (int i = 0; i < THREADS; i++)
        pthread_join (t[i], NULL);
    CHECK_EQ_INT (zmq_atomic_counter_value (counter), THREADS * PER_THREAD);
    for (int i = 0; i < THREADS; i++)
        t[i] = thread_start (unbump, NULL);
    for (int i = 0; i < THREADS; i++)
        pthread_join (t[i], NULL);
    CHECK_EQ_INT (zmq_atomic_counter_value (counter), 0);
    zmq_atomic_counter_destroy (&counter);
    return 0;
}
