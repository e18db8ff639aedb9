/* behaviour: on a GSSAPI-capable build, GSSAPI_SERVER 0, GSSAPI_PLAINTEXT 0, empty principals and both principal name types 0 (host-based) by default */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    if (!zmq_has ("gssapi"))
        return SKIP_EXIT;
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (ctx && s);
    CHECK_EQ_INT (get_int (s, ZMQ_GSSAPI_SERVER), 0);
    CHECK_EQ_INT (get_int (s, ZMQ_GSSAPI_PLAINTEXT), 0);
    CHECK_EQ_INT (get_int (s, ZMQ_GSSAPI_PRINCIPAL_NAMETYPE),
                  ZMQ_GSSAPI_NT_HOSTBASED);
    CHECK_EQ_INT (get_int (s, ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE),
                  ZMQ_GSSAPI_NT_HOSTBASED);
    const int strs[] = {ZMQ_GSSAPI_PRINCIPAL, ZMQ_GSSAPI_SERVICE_PRINCIPAL};
    for (int i = 0; i < 2; i++) {
        char buf[64];
        size_t l = sizeof buf;
        CHECK_OK (zmq_getsockopt (s, strs[i], buf, &l));
        CHECK_EQ_INT (l, 1);
        CHECK_EQ_INT (buf[0], 0);
    }
    CHECK_OK (zmq_close (s));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
