/* behaviour: zmq_timers_set_interval and zmq_timers_reset restart a timer's countdown (EINVAL for unknown ids) */
#include "testutil.h"

static int fired;
static void handler (int id, void *arg)
{
    (void) id;
    (void) arg;
    fired++;
}

int main (void)
{
    test_deadline (20);
    void *timers = zmq_timers_new ();
    CHECK (timers);
    int id = zmq_timers_add (timers, 150, handler, NULL);
    CHECK (id >= 0);
    CHECK_ERR (zmq_timers_set_interval (timers, id + 1000, 10), EINVAL);
    CHECK_ERR (zmq_timers_reset (timers, id + 1000), EINVAL);

    /* Shorter interval: fires sooner. */
    CHECK_OK (zmq_timers_set_interval (timers, id, 20));
    long t = zmq_timers_timeout (timers);
    CHECK (t >= 0 && t <= 20);
    msleep (50);
    CHECK_OK (zmq_timers_execute (timers));
    CHECK_EQ_INT (fired, 1);

    /* Longer interval, then reset keeps pushing it back. */
    CHECK_OK (zmq_timers_set_interval (timers, id, 1000));
    for (int i = 0; i < 3; i++) {
        msleep (150);
        CHECK_OK (zmq_timers_reset (timers, id));
        CHECK_OK (zmq_timers_execute (timers));
    }
    CHECK_EQ_INT (fired, 1);
    t = zmq_timers_timeout (timers);
    CHECK (t > 100 && t <= 1000);
    CHECK_OK (zmq_timers_destroy (&timers));
    return 0;
}
