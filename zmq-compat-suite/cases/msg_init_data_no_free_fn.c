/* behaviour: zmq_msg_init_data with a NULL free function uses the buffer as is and never frees it */
#include "testutil.h"

static char buffer[] = "static buffer owned by the application";

int main (void)
{
    test_deadline (20);
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init_data (&m, buffer, sizeof buffer, NULL, NULL));
    CHECK_EQ_INT (zmq_msg_size (&m), sizeof buffer);
    CHECK (zmq_msg_data (&m) == buffer);
    zmq_msg_t c;
    CHECK_OK (zmq_msg_init (&c));
    CHECK_OK (zmq_msg_copy (&c, &m));
    CHECK (memcmp (zmq_msg_data (&c), buffer, sizeof buffer) == 0);
    CHECK_OK (zmq_msg_close (&m));
    CHECK_OK (zmq_msg_close (&c));
    /* Zero-size message with no data at all. */
    CHECK_OK (zmq_msg_init_data (&m, NULL, 0, NULL, NULL));
    CHECK_EQ_INT (zmq_msg_size (&m), 0);
    CHECK_OK (zmq_msg_close (&m));
    CHECK (strcmp (buffer, "static buffer owned by the application") == 0);
    return 0;
}
