/* behaviour: zmq_stopwatch_start/intermediate/stop measure elapsed microseconds */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *w = zmq_stopwatch_start ();
    CHECK (w);
    msleep (50);
    unsigned long mid = zmq_stopwatch_intermediate (w);
    if (mid < 40000 || mid > 10000000)
        FAIL ("intermediate after 50 ms: %lu us", mid);
    msleep (50);
    unsigned long total = zmq_stopwatch_stop (w);
    if (total < mid + 40000 || total > 20000000)
        FAIL ("stop after 100 ms: %lu us (intermediate %lu)", total, mid);
    return 0;
}
