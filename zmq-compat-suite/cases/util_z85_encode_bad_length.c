/* behaviour: zmq_z85_encode of a size that is not a multiple of 4 returns NULL with EINVAL */
#include "testutil.h"
#include <stdint.h>

int main (void)
{
    test_deadline (20);
    uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    char out[16];
    const size_t bad[] = {1, 2, 3, 5, 7};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        errno = 0;
        if (zmq_z85_encode (out, data, bad[i]) != NULL)
            FAIL ("encoding %zu bytes did not fail", bad[i]);
        CHECK_EQ_INT (zmq_errno (), EINVAL);
    }
    return 0;
}
