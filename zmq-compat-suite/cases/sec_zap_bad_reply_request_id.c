/* behaviour: a ZAP reply whose request id is not the request's fails the handshake with HANDSHAKE_FAILED_PROTOCOL / ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID for NULL, PLAIN and CURVE servers, which keep working. */
#include "zaputil.h"

int main (void)
{
    test_deadline (25);
    zap_bad_reply_all (ZAP_BAD_REQUEST_ID, ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID);
    return 0;
}
