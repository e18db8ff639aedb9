/* behaviour: a ws server accepts a client offering only bare "ZWS2.0" (no mechanism): each side's first message is its routing id, which a ROUTER uses to address the peer. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK_OK (zmq_setsockopt (router, ZMQ_ROUTING_ID, "rtr", 3));
    CHECK_OK (zmq_bind (router, "ws://127.0.0.1:*/bare"));
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (router, ZMQ_LAST_ENDPOINT, ep, &len));
    int fd = wu_connect_endpoint (ep);
    char proto[64];
    int status = wu_ws_upgrade (fd, "/bare", "ZWS2.0", proto, sizeof proto);
    if (status != 101 || strcmp (proto, "ZWS2.0") != 0)
        FAIL ("upgrade: status %d subprotocol '%s'", status, proto);
    int op, flags;
    unsigned char buf[256];
    size_t n;
    if (wu_ws_recv (fd, &op, &flags, buf, sizeof buf, &n, 3000) != WU_OK)
        FAIL ("no routing id message");
    if (op != WU_WS_BINARY || flags != 0 || n != 3 || memcmp (buf, "rtr", 3))
        FAIL ("routing id: opcode %d flags %d len %zu", op, flags, n);
    wu_ws_send (fd, WU_WS_BINARY, 0, "peer1", 5);
    wu_ws_send (fd, WU_WS_BINARY, 0, "hello", 5);
    recv_str_eq (router, "peer1", 0);
    recv_str_eq (router, "hello", 0);
    send_str (router, "peer1", ZMQ_SNDMORE);
    send_str (router, "reply", 0);
    if (wu_ws_recv (fd, &op, &flags, buf, sizeof buf, &n, 3000) != WU_OK)
        FAIL ("no reply");
    if (op != WU_WS_BINARY || flags != 0 || n != 5 || memcmp (buf, "reply", 5))
        FAIL ("reply: opcode %d flags %d len %zu", op, flags, n);
    close (fd);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
