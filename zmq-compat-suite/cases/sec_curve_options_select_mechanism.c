/* behaviour: ZMQ_CURVE_SERVER=1 makes a socket a CURVE server (ZMQ_MECHANISM reads ZMQ_CURVE, ZMQ_CURVE_SERVER reads 1) and 0 returns it to NULL; setting ZMQ_CURVE_SERVERKEY makes it a CURVE client (ZMQ_CURVE_SERVER reads 0); keys read back as 32 bytes or 41-byte Z85, other buffer sizes and malformed keys fail with EINVAL. */
#include "testutil.h"

int main (void)
{
    test_deadline (10);
    if (!zmq_has ("curve"))
        return SKIP_EXIT;
    char pub[41], sec[41];
    CHECK_OK (zmq_curve_keypair (pub, sec));
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (s);
    CHECK_EQ_INT (get_int (s, ZMQ_MECHANISM), ZMQ_NULL);

    set_int (s, ZMQ_CURVE_SERVER, 1);
    CHECK_EQ_INT (get_int (s, ZMQ_MECHANISM), ZMQ_CURVE);
    CHECK_EQ_INT (get_int (s, ZMQ_CURVE_SERVER), 1);
    set_int (s, ZMQ_CURVE_SERVER, 0);
    CHECK_EQ_INT (get_int (s, ZMQ_MECHANISM), ZMQ_NULL);
    CHECK_EQ_INT (get_int (s, ZMQ_CURVE_SERVER), 0);
    int two = 2;
    CHECK_ERR (zmq_setsockopt (s, ZMQ_CURVE_SERVER, &two, sizeof two), EINVAL);

    set_int (s, ZMQ_CURVE_SERVER, 1);
    /* The server's key makes a client of it. */
    CHECK_OK (zmq_setsockopt (s, ZMQ_CURVE_SERVERKEY, pub, 41));
    CHECK_EQ_INT (get_int (s, ZMQ_MECHANISM), ZMQ_CURVE);
    CHECK_EQ_INT (get_int (s, ZMQ_CURVE_SERVER), 0);

    /* Read back in both forms. */
    char z85[41];
    size_t len = sizeof z85;
    CHECK_OK (zmq_getsockopt (s, ZMQ_CURVE_SERVERKEY, z85, &len));
    CHECK_EQ_INT ((int) len, 41);
    CHECK (strcmp (z85, pub) == 0);
    uint8_t bin[32], want[32];
    CHECK (zmq_z85_decode (want, pub));
    len = sizeof bin;
    CHECK_OK (zmq_getsockopt (s, ZMQ_CURVE_SERVERKEY, bin, &len));
    CHECK_EQ_INT ((int) len, 32);
    CHECK (memcmp (bin, want, 32) == 0);
    char other[40];
    len = sizeof other;
    CHECK_ERR (zmq_getsockopt (s, ZMQ_CURVE_SERVERKEY, other, &len), EINVAL);

    /* Binary in, Z85 out. */
    CHECK_OK (zmq_setsockopt (s, ZMQ_CURVE_PUBLICKEY, want, 32));
    len = sizeof z85;
    CHECK_OK (zmq_getsockopt (s, ZMQ_CURVE_PUBLICKEY, z85, &len));
    CHECK (strcmp (z85, pub) == 0);

    /* Malformed keys. */
    char bad[41];
    memcpy (bad, sec, 41);
    bad[7] = ' '; /* not in the Z85 alphabet */
    CHECK_ERR (zmq_setsockopt (s, ZMQ_CURVE_SECRETKEY, bad, 40), EINVAL);
    CHECK_ERR (zmq_setsockopt (s, ZMQ_CURVE_SECRETKEY, sec, 39), EINVAL);
    CHECK_ERR (zmq_setsockopt (s, ZMQ_CURVE_SECRETKEY, want, 33), EINVAL);
    char pub_public[41];
    CHECK_ERR (zmq_curve_public (pub_public, bad), EINVAL);

    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
