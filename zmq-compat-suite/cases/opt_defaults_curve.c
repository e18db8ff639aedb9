/* behaviour: on a CURVE-capable build the three CURVE key options read back as all-zero keys (32 zero bytes, or Z85 "000...0") by default */
#include "testutil.h"
#include <stdint.h>

int main (void)
{
    test_deadline (20);
    if (!zmq_has ("curve"))
        return SKIP_EXIT;
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && s);
    const int keys[] = {ZMQ_CURVE_PUBLICKEY, ZMQ_CURVE_SECRETKEY,
                        ZMQ_CURVE_SERVERKEY};
    const uint8_t zero[32] = {0};
    for (int i = 0; i < 3; i++) {
        uint8_t bin[32];
        memset (bin, 0xAA, sizeof bin);
        size_t l = 32;
        CHECK_OK (zmq_getsockopt (s, keys[i], bin, &l));
        CHECK_EQ_INT (l, 32);
        CHECK (memcmp (bin, zero, 32) == 0);
        char z85[41];
        l = 41;
        CHECK_OK (zmq_getsockopt (s, keys[i], z85, &l));
        CHECK (strcmp (z85, "0000000000000000000000000000000000000000") == 0);
    }
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
