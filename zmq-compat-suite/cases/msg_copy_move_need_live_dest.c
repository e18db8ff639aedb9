/* behaviour: zmq_msg_copy and zmq_msg_move close the destination first, so a destination that is not a live message (closed) fails with EFAULT and the source is kept */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    zmq_msg_t src, dst;
    CHECK_OK (zmq_msg_init_size (&src, 5));
    memcpy (zmq_msg_data (&src), "hello", 5);
    CHECK_OK (zmq_msg_init (&dst));
    CHECK_OK (zmq_msg_close (&dst));
    CHECK_ERR (zmq_msg_copy (&dst, &src), EFAULT);
    CHECK_ERR (zmq_msg_move (&dst, &src), EFAULT);
    CHECK_EQ_INT (zmq_msg_size (&src), 5);
    CHECK (memcmp (zmq_msg_data (&src), "hello", 5) == 0);
    /* A closed source is EFAULT as well, whatever the destination. */
    CHECK_OK (zmq_msg_init (&dst));
    zmq_msg_t gone;
    CHECK_OK (zmq_msg_init (&gone));
    CHECK_OK (zmq_msg_close (&gone));
    CHECK_ERR (zmq_msg_copy (&dst, &gone), EFAULT);
    CHECK_ERR (zmq_msg_move (&dst, &gone), EFAULT);
    CHECK_OK (zmq_msg_copy (&dst, &src));
    CHECK_EQ_INT (zmq_msg_size (&dst), 5);
    CHECK_OK (zmq_msg_close (&dst));
    CHECK_OK (zmq_msg_close (&src));
    return 0;
}
