/* behaviour: zmq_curve_keypair returns two distinct 40-char Z85 keys, and zmq_curve_public derives the same public key from the secret one */
#include "testutil.h"
#include <stdint.h>

int main (void)
{
    test_deadline (20);
    if (!zmq_has ("curve"))
        return SKIP_EXIT;
    char pub[41], sec[41], pub2[41], sec2[41];
    CHECK_OK (zmq_curve_keypair (pub, sec));
    CHECK_EQ_INT (strlen (pub), 40);
    CHECK_EQ_INT (strlen (sec), 40);
    CHECK (strcmp (pub, sec) != 0);
    uint8_t bin[32];
    CHECK (zmq_z85_decode (bin, pub) != NULL);
    CHECK (zmq_z85_decode (bin, sec) != NULL);
    char derived[41];
    memset (derived, 'X', sizeof derived);
    CHECK_OK (zmq_curve_public (derived, sec));
    if (strcmp (derived, pub) != 0)
        FAIL ("zmq_curve_public gave '%s', keypair public '%s'", derived, pub);
    /* A second pair is different. */
    CHECK_OK (zmq_curve_keypair (pub2, sec2));
    CHECK (strcmp (pub, pub2) != 0 && strcmp (sec, sec2) != 0);
    /* A secret key that is not valid Z85 is refused. */
    CHECK_ERR (zmq_curve_public (derived, "not a key"), EINVAL);
    return 0;
}
