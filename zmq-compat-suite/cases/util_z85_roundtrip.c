/* behaviour: zmq_z85_decode(zmq_z85_encode(x)) == x for arbitrary data of every multiple-of-4 length up to 128 */
#include "testutil.h"
#include <stdint.h>

int main (void)
{
    test_deadline (20);
    srand (12345);
    for (size_t len = 0; len <= 128; len += 4) {
        for (int rep = 0; rep < 20; rep++) {
            uint8_t data[128], back[128];
            char text[161];
            for (size_t i = 0; i < len; i++)
                data[i] = (uint8_t) rand ();
            CHECK (zmq_z85_encode (text, data, len) == text);
            CHECK_EQ_INT (strlen (text), len * 5 / 4);
            if (len == 0)
                continue; /* decoding "" is an error (too short) */
            CHECK (zmq_z85_decode (back, text) == back);
            if (memcmp (back, data, len) != 0)
                FAIL ("round trip of %zu bytes differs ('%s')", len, text);
        }
    }
    return 0;
}
