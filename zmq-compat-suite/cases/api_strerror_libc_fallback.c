/* behaviour: zmq_strerror of an ordinary errno equals the C library's strerror text */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    const int codes[] = {EINVAL, EAGAIN, EINTR, EFAULT, ENOTSOCK, EMFILE,
                         EADDRINUSE, ECONNREFUSED, EPROTONOSUPPORT, ENOTSUP};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        char expected[256];
        snprintf (expected, sizeof expected, "%s", strerror (codes[i]));
        const char *s = zmq_strerror (codes[i]);
        if (s == NULL || strcmp (s, expected) != 0)
            FAIL ("zmq_strerror(%d) = '%s', expected '%s'", codes[i],
                  s ? s : "(null)", expected);
    }
    return 0;
}
