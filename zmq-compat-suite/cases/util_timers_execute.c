/* behaviour: a timer's handler runs (with its id and arg) only from zmq_timers_execute once its interval has passed, and then repeats */
#include "testutil.h"

static int fired, last_id;
static void *last_arg;

static void handler (int timer_id, void *arg)
{
    fired++;
    last_id = timer_id;
    last_arg = arg;
}

int main (void)
{
    test_deadline (20);
    void *timers = zmq_timers_new ();
    CHECK (timers);
    int marker;
    int id = zmq_timers_add (timers, 100, handler, &marker);
    CHECK (id >= 0);
    CHECK_OK (zmq_timers_execute (timers));
    CHECK_EQ_INT (fired, 0);
    long t = zmq_timers_timeout (timers);
    CHECK (t >= 0 && t <= 100);
    msleep (150);
    CHECK_EQ_INT (fired, 0); /* nothing runs behind the caller's back */
    CHECK_EQ_INT (zmq_timers_timeout (timers), 0);
    CHECK_OK (zmq_timers_execute (timers));
    CHECK_EQ_INT (fired, 1);
    CHECK_EQ_INT (last_id, id);
    CHECK (last_arg == &marker);
    /* Rescheduled for another interval. */
    CHECK_OK (zmq_timers_execute (timers));
    CHECK_EQ_INT (fired, 1);
    t = zmq_timers_timeout (timers);
    CHECK (t >= 0 && t <= 100);
    msleep (150);
    CHECK_OK (zmq_timers_execute (timers));
    CHECK_EQ_INT (fired, 2);
    CHECK_OK (zmq_timers_destroy (&timers));
    CHECK (timers == NULL);
    return 0;
}
