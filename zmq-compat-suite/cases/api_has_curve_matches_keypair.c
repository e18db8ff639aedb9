/* behaviour: zmq_has("curve") is 0 or 1 and agrees with whether zmq_curve_keypair works (ENOTSUP without CURVE) */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    int has = zmq_has ("curve");
    CHECK (has == 0 || has == 1);
    char pub[41], sec[41];
    int rc = zmq_curve_keypair (pub, sec);
    if (has)
        CHECK_EQ_INT (rc, 0);
    else
        CHECK_ERR (rc, ENOTSUP);
    return 0;
}
