/* behaviour: a cancelled timer never fires; cancelling it again or cancelling an unknown id fails with EINVAL */
#include "testutil.h"

static int fired_a, fired_b;
static void handler_a (int id, void *arg)
{
    (void) id;
    (void) arg;
    fired_a++;
}
static void handler_b (int id, void *arg)
{
    (void) id;
    (void) arg;
    fired_b++;
}

int main (void)
{
    test_deadline (20);
    void *timers = zmq_timers_new ();
    CHECK (timers);
    int a = zmq_timers_add (timers, 50, handler_a, NULL);
    int b = zmq_timers_add (timers, 50, handler_b, NULL);
    CHECK (a >= 0 && b >= 0 && a != b);
    CHECK_OK (zmq_timers_cancel (timers, a));
    CHECK_ERR (zmq_timers_cancel (timers, a), EINVAL);
    CHECK_ERR (zmq_timers_cancel (timers, 99999), EINVAL);
    msleep (100);
    CHECK_OK (zmq_timers_execute (timers));
    CHECK_EQ_INT (fired_a, 0);
    CHECK_EQ_INT (fired_b, 1);
    CHECK_OK (zmq_timers_cancel (timers, b));
    /* No live timer left. */
    CHECK_EQ_INT (zmq_timers_timeout (timers), -1);
    msleep (100);
    CHECK_OK (zmq_timers_execute (timers));
    CHECK_EQ_INT (fired_b, 1);
    CHECK_OK (zmq_timers_destroy (&timers));
    return 0;
}
