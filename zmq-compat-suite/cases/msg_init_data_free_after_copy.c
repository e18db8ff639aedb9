/* behaviour: a zmq_msg_init_data message's free function runs once, only when the last copy is closed */
#include "testutil.h"

static int calls;

static void my_free (void *data, void *hint)
{
    (void) hint;
    calls++;
    free (data);
}

int main (void)
{
    test_deadline (20);
    char *buf = malloc (64);
    CHECK (buf);
    memset (buf, 'z', 64);
    zmq_msg_t a, b, c;
    CHECK_OK (zmq_msg_init_data (&a, buf, 64, my_free, NULL));
    CHECK_OK (zmq_msg_init (&b));
    CHECK_OK (zmq_msg_init (&c));
    CHECK_OK (zmq_msg_copy (&b, &a));
    CHECK_OK (zmq_msg_copy (&c, &b));
    CHECK_OK (zmq_msg_close (&a));
    CHECK_EQ_INT (calls, 0);
    CHECK_EQ_INT (zmq_msg_size (&b), 64);
    CHECK (((char *) zmq_msg_data (&b))[63] == 'z');
    CHECK_OK (zmq_msg_close (&c));
    CHECK_EQ_INT (calls, 0);
    CHECK_OK (zmq_msg_close (&b));
    CHECK_EQ_INT (calls, 1);
    return 0;
}
