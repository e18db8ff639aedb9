/* behaviour: zmq_msg_init makes an empty message: size 0, no MORE flag, closable */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    zmq_msg_t m;
    memset (&m, 0xAB, sizeof m);
    CHECK_OK (zmq_msg_init (&m));
    CHECK_EQ_INT (zmq_msg_size (&m), 0);
    CHECK_EQ_INT (zmq_msg_more (&m), 0);
    CHECK_EQ_INT (zmq_msg_get (&m, ZMQ_MORE), 0);
    CHECK_OK (zmq_msg_close (&m));
    return 0;
}
