/* behaviour: zmq_poll with a negative item count fails with EINVAL */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    zmq_pollitem_t item = {NULL, 0, ZMQ_POLLIN, 0};
    CHECK_ERR (zmq_poll (&item, -1, 0), EINVAL);
    return 0;
}
