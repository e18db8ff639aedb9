/* behaviour: zmq_threadstart runs the function with its argument on a new thread and zmq_threadclose joins it */
#include "testutil.h"

static pthread_t main_thread, seen_thread;
static int done;

static void body (void *arg)
{
    seen_thread = pthread_self ();
    msleep (50);
    *(int *) arg = 1;
}

int main (void)
{
    test_deadline (20);
    main_thread = pthread_self ();
    void *t = zmq_threadstart (body, &done);
    CHECK (t);
    zmq_threadclose (t);
    CHECK_EQ_INT (done, 1);
    CHECK (!pthread_equal (seen_thread, main_thread));
    return 0;
}
