/* behaviour: a single message of 2^32 + 1 bytes crosses tcp whole (its length needs the 64-bit frame header past 32 bits) */
#include "largemsg.h"

int main (void)
{
    test_deadline (28);
    return large_message_over_tcp (((size_t) 1 << 32) + 1);
}
