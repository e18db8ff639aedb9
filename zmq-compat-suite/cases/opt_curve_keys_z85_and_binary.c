/* behaviour: CURVE key options accept 32 binary bytes or 40 Z85 chars, read back as 32 bytes or as 41-byte Z85, select CURVE, and reject other lengths */
#include "testutil.h"
#include <stdint.h>

int main (void)
{
    test_deadline (20);
    if (!zmq_has ("curve"))
        return SKIP_EXIT;
    char pub[41], sec[41];
    CHECK_OK (zmq_curve_keypair (pub, sec));
    uint8_t pub_bin[32];
    CHECK (zmq_z85_decode (pub_bin, pub) != NULL);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && s);

    CHECK_OK (zmq_setsockopt (s, ZMQ_CURVE_SERVERKEY, pub, 40));
    CHECK_OK (zmq_setsockopt (s, ZMQ_CURVE_PUBLICKEY, pub_bin, 32));
    CHECK_OK (zmq_setsockopt (s, ZMQ_CURVE_SECRETKEY, sec, 41)); /* +NUL */
    CHECK_EQ_INT (get_int (s, ZMQ_MECHANISM), ZMQ_CURVE);
    CHECK_EQ_INT (get_int (s, ZMQ_CURVE_SERVER), 0);

    uint8_t bin[32];
    size_t l = 32;
    CHECK_OK (zmq_getsockopt (s, ZMQ_CURVE_SERVERKEY, bin, &l));
    CHECK (memcmp (bin, pub_bin, 32) == 0);
    char z85[41];
    l = 41;
    CHECK_OK (zmq_getsockopt (s, ZMQ_CURVE_PUBLICKEY, z85, &l));
    CHECK (strcmp (z85, pub) == 0);
    l = 41;
    CHECK_OK (zmq_getsockopt (s, ZMQ_CURVE_SECRETKEY, z85, &l));
    CHECK (strcmp (z85, sec) == 0);
    l = 40;
    CHECK_ERR (zmq_getsockopt (s, ZMQ_CURVE_SECRETKEY, z85, &l), EINVAL);

    CHECK_ERR (zmq_setsockopt (s, ZMQ_CURVE_PUBLICKEY, pub_bin, 31), EINVAL);
    CHECK_ERR (zmq_setsockopt (s, ZMQ_CURVE_PUBLICKEY, pub, 39), EINVAL);

    void *srv = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (srv);
    set_int (srv, ZMQ_CURVE_SERVER, 1);
    CHECK_EQ_INT (get_int (srv, ZMQ_MECHANISM), ZMQ_CURVE);
    CHECK_EQ_INT (get_int (srv, ZMQ_CURVE_SERVER), 1);
    CHECK_OK (zmq_close (srv));
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
