/* behaviour: a ZAP reply with a frame after the metadata fails the handshake with HANDSHAKE_FAILED_PROTOCOL / ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY for NULL, PLAIN and CURVE servers, which keep working. */
#include "zaputil.h"

int main (void)
{
    test_deadline (25);
    zap_bad_reply_all (ZAP_TOO_MANY_FRAMES, ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY);
    return 0;
}
