/* behaviour: a ZAP reply with a status code other than 200/300/400/500 ("201") fails the handshake with HANDSHAKE_FAILED_PROTOCOL / ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE for NULL, PLAIN and CURVE servers, which keep working. */
#include "zaputil.h"

int main (void)
{
    test_deadline (25);
    zap_bad_reply_all (ZAP_BAD_STATUS, ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE);
    return 0;
}
