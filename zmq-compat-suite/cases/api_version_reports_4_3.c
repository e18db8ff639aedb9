/* behaviour: zmq_version reports major 4, minor 3 and a sane patch level */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    int major = -1, minor = -1, patch = -1;
    zmq_version (&major, &minor, &patch);
    CHECK_EQ_INT (major, 4);
    CHECK_EQ_INT (minor, 3);
    CHECK (patch >= 0 && patch < 100);
    return 0;
}
