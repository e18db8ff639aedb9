/* behaviour: zmq_z85_encode turns the RFC 32 test bytes 86 4F D2 6F B5 59 F7 5B into "HelloWorld" */
#include "testutil.h"
#include <stdint.h>

int main (void)
{
    test_deadline (20);
    const uint8_t data[8] = {0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B};
    char out[11];
    memset (out, 'X', sizeof out);
    char *r = zmq_z85_encode (out, data, 8);
    CHECK (r == out);
    if (strcmp (out, "HelloWorld") != 0)
        FAIL ("encoded '%s'", out);
    /* Extremes of the alphabet. */
    const uint8_t zeros[4] = {0, 0, 0, 0};
    const uint8_t ones[4] = {0xFF, 0xFF, 0xFF, 0xFF};
    CHECK (zmq_z85_encode (out, zeros, 4) && strcmp (out, "00000") == 0);
    CHECK (zmq_z85_encode (out, ones, 4) && strcmp (out, "%nSc0") == 0);
    /* Zero bytes encode to the empty string. */
    out[0] = 'X';
    CHECK (zmq_z85_encode (out, data, 0) == out);
    CHECK_EQ_INT (out[0], 0);
    return 0;
}
