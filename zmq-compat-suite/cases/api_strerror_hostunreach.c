/* behaviour: zmq_strerror(EHOSTUNREACH) is "Host unreachable", not the libc text */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    const char *s = zmq_strerror (EHOSTUNREACH);
    CHECK (s != NULL);
    if (strcmp (s, "Host unreachable") != 0)
        FAIL ("zmq_strerror(EHOSTUNREACH) = '%s'", s);
    return 0;
}
