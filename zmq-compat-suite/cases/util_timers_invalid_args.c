/* behaviour: timer functions given a NULL timers object fail with EFAULT, and zmq_timers_add with a NULL handler fails with EFAULT */
#include "testutil.h"

static void handler (int id, void *arg)
{
    (void) id;
    (void) arg;
}

int main (void)
{
    test_deadline (20);
    void *none = NULL;
    CHECK_ERR (zmq_timers_add (NULL, 10, handler, NULL), EFAULT);
    CHECK_ERR (zmq_timers_cancel (NULL, 1), EFAULT);
    CHECK_ERR (zmq_timers_set_interval (NULL, 1, 10), EFAULT);
    CHECK_ERR (zmq_timers_reset (NULL, 1), EFAULT);
    CHECK_ERR (zmq_timers_timeout (NULL), EFAULT);
    CHECK_ERR (zmq_timers_execute (NULL), EFAULT);
    CHECK_ERR (zmq_timers_destroy (&none), EFAULT);
    void *timers = zmq_timers_new ();
    CHECK (timers);
    CHECK_ERR (zmq_timers_add (timers, 10, NULL, NULL), EFAULT);
    CHECK_EQ_INT (zmq_timers_timeout (timers), -1);
    CHECK_OK (zmq_timers_execute (timers));
    CHECK_OK (zmq_timers_destroy (&timers));
    return 0;
}
