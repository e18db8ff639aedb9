/* behaviour: zmq_msg_get(ZMQ_SHARED) is 0 for a fresh large message and 1 on both after zmq_msg_copy */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    zmq_msg_t a, b;
    CHECK_OK (zmq_msg_init_size (&a, 1000));
    CHECK_EQ_INT (zmq_msg_get (&a, ZMQ_SHARED), 0);
    CHECK_OK (zmq_msg_init (&b));
    CHECK_OK (zmq_msg_copy (&b, &a));
    CHECK_EQ_INT (zmq_msg_get (&a, ZMQ_SHARED), 1);
    CHECK_EQ_INT (zmq_msg_get (&b, ZMQ_SHARED), 1);
    /* Copies share storage: same bytes at the same address. */
    CHECK (zmq_msg_data (&a) == zmq_msg_data (&b));
    CHECK_OK (zmq_msg_close (&a));
    CHECK_OK (zmq_msg_close (&b));
    return 0;
}
