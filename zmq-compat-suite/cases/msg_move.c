/* behaviour: zmq_msg_move transfers the content to dest and leaves src an empty message */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    const size_t sizes[] = {3, 1000};
    for (size_t i = 0; i < 2; i++) {
        zmq_msg_t src, dst;
        CHECK_OK (zmq_msg_init_size (&src, sizes[i]));
        memset (zmq_msg_data (&src), 'm', sizes[i]);
        CHECK_OK (zmq_msg_init_size (&dst, 7));
        CHECK_OK (zmq_msg_move (&dst, &src));
        CHECK_EQ_INT (zmq_msg_size (&dst), sizes[i]);
        CHECK (((char *) zmq_msg_data (&dst))[sizes[i] - 1] == 'm');
        CHECK_EQ_INT (zmq_msg_size (&src), 0);
        CHECK_OK (zmq_msg_close (&src));
        CHECK_OK (zmq_msg_close (&dst));
    }
    return 0;
}
