/* behaviour: zmq_msg_copy makes dest hold the same size and bytes as src, and releases dest's previous content */
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
    const size_t sizes[] = {0, 10, 1000};
    for (size_t i = 0; i < 3; i++) {
        zmq_msg_t src, dst;
        CHECK_OK (zmq_msg_init_size (&src, sizes[i]));
        memset (zmq_msg_data (&src), 'a' + (int) i, sizes[i]);
        /* dest already holds content: it is released by the copy. */
        char *old = malloc (50);
        CHECK (old);
        calls = 0;
        CHECK_OK (zmq_msg_init_data (&dst, old, 50, my_free, NULL));
        CHECK_OK (zmq_msg_copy (&dst, &src));
        CHECK_EQ_INT (calls, 1);
        CHECK_EQ_INT (zmq_msg_size (&dst), sizes[i]);
        CHECK_EQ_INT (zmq_msg_size (&src), sizes[i]);
        if (sizes[i])
            CHECK (memcmp (zmq_msg_data (&dst), zmq_msg_data (&src), sizes[i])
                   == 0);
        CHECK_OK (zmq_msg_close (&src));
        /* The copy survives the original. */
        for (size_t j = 0; j < sizes[i]; j++)
            CHECK (((char *) zmq_msg_data (&dst))[j] == 'a' + (int) i);
        CHECK_OK (zmq_msg_close (&dst));
    }
    return 0;
}
