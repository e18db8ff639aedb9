/* behaviour: zmq_strerror gives libzmq's texts for EFSM, ENOCOMPATPROTO, ETERM and EMTHREAD */
#include "testutil.h"

static void expect (int err, const char *text)
{
    const char *s = zmq_strerror (err);
    if (s == NULL || strcmp (s, text) != 0)
        FAIL ("zmq_strerror(%d) = '%s', expected '%s'", err, s ? s : "(null)",
              text);
}

int main (void)
{
    test_deadline (20);
    expect (EFSM, "Operation cannot be accomplished in current state");
    expect (ENOCOMPATPROTO,
            "The protocol is not compatible with the socket type");
    expect (ETERM, "Context was terminated");
    expect (EMTHREAD, "No thread available");
    return 0;
}
