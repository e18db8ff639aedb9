/* behaviour: zmq_z85_decode turns "HelloWorld" back into the RFC 32 test bytes */
#include "testutil.h"
#include <stdint.h>

int main (void)
{
    test_deadline (20);
    const uint8_t expected[8] = {0x86, 0x4F, 0xD2, 0x6F,
                                 0xB5, 0x59, 0xF7, 0x5B};
    uint8_t out[8];
    memset (out, 0, sizeof out);
    uint8_t *r = zmq_z85_decode (out, "HelloWorld");
    CHECK (r == out);
    CHECK (memcmp (out, expected, 8) == 0);
    uint8_t four[4];
    CHECK (zmq_z85_decode (four, "%nSc0") == four);
    CHECK (four[0] == 0xFF && four[1] == 0xFF && four[2] == 0xFF
           && four[3] == 0xFF);
    CHECK (zmq_z85_decode (four, "00000") == four);
    CHECK (four[0] == 0 && four[1] == 0 && four[2] == 0 && four[3] == 0);
    return 0;
}
