/* behaviour: zmq_timers_execute runs every due timer once, earliest deadline first, and zmq_timers_timeout reports the nearest deadline */
#include "testutil.h"

static int order[8], n;
static void handler (int id, void *arg)
{
    (void) id;
    order[n++] = (int) (long) arg;
}

int main (void)
{
    test_deadline (20);
    void *timers = zmq_timers_new ();
    CHECK (timers);
    CHECK (zmq_timers_add (timers, 60, handler, (void *) 3L) >= 0);
    CHECK (zmq_timers_add (timers, 20, handler, (void *) 1L) >= 0);
    CHECK (zmq_timers_add (timers, 40, handler, (void *) 2L) >= 0);
    CHECK (zmq_timers_add (timers, 5000, handler, (void *) 9L) >= 0);
    long t = zmq_timers_timeout (timers);
    CHECK (t >= 0 && t <= 20);
    msleep (120);
    CHECK_OK (zmq_timers_execute (timers));
    CHECK_EQ_INT (n, 3);
    CHECK_EQ_INT (order[0], 1);
    CHECK_EQ_INT (order[1], 2);
    CHECK_EQ_INT (order[2], 3);
    CHECK_OK (zmq_timers_destroy (&timers));
    return 0;
}
