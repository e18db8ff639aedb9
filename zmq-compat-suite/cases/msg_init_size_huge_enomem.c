/* behaviour: zmq_msg_init_size with an impossible size fails with ENOMEM instead of overflowing */
#include "testutil.h"
#include <stdint.h>

int main (void)
{
    test_deadline (20);
    zmq_msg_t m;
    CHECK_ERR (zmq_msg_init_size (&m, SIZE_MAX), ENOMEM);
    CHECK_ERR (zmq_msg_init_size (&m, SIZE_MAX - 8), ENOMEM);
    CHECK_ERR (zmq_msg_init_size (&m, (size_t) 1 << 62), ENOMEM);
    /* A normal size still works afterwards. */
    CHECK_OK (zmq_msg_init_size (&m, 10));
    CHECK_OK (zmq_msg_close (&m));
    return 0;
}
