/* behaviour: a ZAP reply with a version other than "1.0" fails the handshake with HANDSHAKE_FAILED_PROTOCOL / ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION for NULL (with a ZAP domain), PLAIN and CURVE servers; nothing gets through and the server accepts the client once the handler answers well. */
#include "zaputil.h"

int main (void)
{
    test_deadline (25);
    zap_bad_reply_all (ZAP_BAD_VERSION, ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION);
    return 0;
}
