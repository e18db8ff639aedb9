/* behaviour: zmq_msg_get of an unknown property and every zmq_msg_set fail with EINVAL */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init_size (&m, 4));
    CHECK_ERR (zmq_msg_get (&m, 9999), EINVAL);
    CHECK_ERR (zmq_msg_get (&m, -1), EINVAL);
    CHECK_ERR (zmq_msg_set (&m, ZMQ_MORE, 1), EINVAL);
    CHECK_ERR (zmq_msg_set (&m, 9999, 1), EINVAL);
    CHECK_EQ_INT (zmq_msg_more (&m), 0);
    CHECK_OK (zmq_msg_close (&m));
    return 0;
}
