/* behaviour: zmq_msg_init_size gives a writable buffer of exactly the requested size, small and large */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    const size_t sizes[] = {0, 1, 29, 30, 33, 34, 64, 255, 256, 4096, 100000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        zmq_msg_t m;
        CHECK_OK (zmq_msg_init_size (&m, sizes[i]));
        CHECK_EQ_INT (zmq_msg_size (&m), sizes[i]);
        unsigned char *d = (unsigned char *) zmq_msg_data (&m);
        if (sizes[i] > 0) {
            CHECK (d != NULL);
            for (size_t j = 0; j < sizes[i]; j++)
                d[j] = (unsigned char) (j * 7 + i);
            for (size_t j = 0; j < sizes[i]; j++)
                if (d[j] != (unsigned char) (j * 7 + i))
                    FAIL ("byte %zu of a %zu-byte message changed", j,
                          sizes[i]);
            /* data() is stable across calls. */
            CHECK (zmq_msg_data (&m) == d);
        }
        CHECK_EQ_INT (zmq_msg_more (&m), 0);
        CHECK_OK (zmq_msg_close (&m));
    }
    return 0;
}
