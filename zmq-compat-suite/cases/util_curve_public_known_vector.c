/* behaviour: zmq_curve_public derives the RFC 26 / libzmq test public key from its well-known secret key */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    if (!zmq_has ("curve"))
        return SKIP_EXIT;
    /* The server key pair used in the CurveZMQ documentation (RFC 26). */
    const char *secret = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";
    const char *public_ = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    char derived[41];
    CHECK_OK (zmq_curve_public (derived, secret));
    if (strcmp (derived, public_) != 0)
        FAIL ("derived '%s', expected '%s'", derived, public_);
    return 0;
}
