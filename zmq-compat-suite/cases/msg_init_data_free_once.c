/* behaviour: zmq_msg_init_data wraps the caller's buffer without copying and calls the free function exactly once, with data and hint, on close */
#include "testutil.h"

static int calls;
static void *freed_data, *freed_hint;

static void my_free (void *data, void *hint)
{
    calls++;
    freed_data = data;
    freed_hint = hint;
    free (data);
}

int main (void)
{
    test_deadline (20);
    const size_t sizes[] = {5, 100};
    for (size_t i = 0; i < 2; i++) {
        calls = 0;
        char *buf = malloc (sizes[i]);
        CHECK (buf);
        memset (buf, 'q', sizes[i]);
        zmq_msg_t m;
        CHECK_OK (zmq_msg_init_data (&m, buf, sizes[i], my_free, &calls));
        CHECK_EQ_INT (zmq_msg_size (&m), sizes[i]);
        CHECK (zmq_msg_data (&m) == buf);
        CHECK_EQ_INT (calls, 0);
        CHECK_OK (zmq_msg_close (&m));
        CHECK_EQ_INT (calls, 1);
        CHECK (freed_data == buf);
        CHECK (freed_hint == &calls);
    }
    return 0;
}
