/* behaviour: closing an already closed message fails with EFAULT */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init_size (&m, 10));
    CHECK_OK (zmq_msg_close (&m));
    CHECK_ERR (zmq_msg_close (&m), EFAULT);
    CHECK_OK (zmq_msg_init_size (&m, 1000));
    CHECK_OK (zmq_msg_close (&m));
    CHECK_ERR (zmq_msg_close (&m), EFAULT);
    return 0;
}
