/* behaviour: a single message of 2^31 + 1 bytes crosses tcp whole (zmq_msg_send and zmq_msg_recv return INT_MAX for it) */
#include "largemsg.h"

int main (void)
{
    test_deadline (28);
    return large_message_over_tcp (((size_t) 1 << 31) + 1);
}
