/* behaviour: atomic counters start at 0; inc returns the old value, dec returns whether the counter is still non-zero, set/value work, destroy NULLs the pointer */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *c = zmq_atomic_counter_new ();
    CHECK (c);
    CHECK_EQ_INT (zmq_atomic_counter_value (c), 0);
    CHECK_EQ_INT (zmq_atomic_counter_inc (c), 0);
    CHECK_EQ_INT (zmq_atomic_counter_inc (c), 1);
    CHECK_EQ_INT (zmq_atomic_counter_value (c), 2);
    CHECK_EQ_INT (zmq_atomic_counter_dec (c), 1);
    CHECK_EQ_INT (zmq_atomic_counter_value (c), 1);
    CHECK_EQ_INT (zmq_atomic_counter_dec (c), 0);
    CHECK_EQ_INT (zmq_atomic_counter_value (c), 0);
    zmq_atomic_counter_set (c, 42);
    CHECK_EQ_INT (zmq_atomic_counter_value (c), 42);
    CHECK_EQ_INT (zmq_atomic_counter_inc (c), 42);
    CHECK_EQ_INT (zmq_atomic_counter_value (c), 43);
    zmq_atomic_counter_destroy (&c);
    CHECK (c == NULL);
    return 0;
}
