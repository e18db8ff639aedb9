/* behaviour: zmq_z85_decode returns NULL with EINVAL for lengths not a multiple of 5, characters outside the alphabet, and 5-char groups above 2^32-1 */
#include "testutil.h"
#include <stdint.h>

static void bad (const char *s)
{
    uint8_t out[64];
    errno = 0;
    if (zmq_z85_decode (out, s) != NULL)
        FAIL ("decoding '%s' did not fail", s);
    CHECK_EQ_INT (zmq_errno (), EINVAL);
}

int main (void)
{
    test_deadline (20);
    bad ("");
    bad ("Hell");
    bad ("HelloWorl");
    bad ("HelloWorld1");
    bad ("Hello Worl"); /* space is not in the alphabet */
    bad ("Hell\"World");
    bad ("HelloWor~d");
    bad ("#####"); /* 85^5 - 1 > 2^32 - 1 */
    bad ("%nSc1"); /* 2^32 */
    return 0;
}
