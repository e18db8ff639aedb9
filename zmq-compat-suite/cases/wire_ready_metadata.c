/* behaviour: the library's NULL-mechanism READY carries Socket-Type, plus Identity (the routing id) for REQ, DEALER and ROUTER sockets only. */
#include "wireutil.h"

static void check_ready (void *ctx, int type, const char *type_name,
                         const char *routing_id, const char *peer_type)
{
    void *s = zmq_socket (ctx, type);
    CHECK (s);
    if (routing_id)
        CHECK_OK (zmq_setsockopt (s, ZMQ_ROUTING_ID, routing_id,
                                  strlen (routing_id)));
    char ep[256];
    bind_tcp_ephemeral (s, ep, sizeof ep);
    int fd = wu_connect_endpoint (ep);
    unsigned char g[64];
    wu_send_greeting (fd, 1, "NULL");
    wu_recv_greeting_null (fd, g);
    wu_send_ready (fd, peer_type, NULL);
    unsigned char data[1024];
    size_t len = 0;
    if (wu_recv_command (fd, "READY", data, sizeof data, &len, 3000) != WU_OK)
        FAIL ("%s: no READY", type_name);
    unsigned char v[300];
    int vl = wu_find_prop (data, len, "Socket-Type", v, sizeof v);
    if (vl != (int) strlen (type_name) || memcmp (v, type_name, (size_t) vl))
        FAIL ("%s: Socket-Type '%.*s'", type_name, vl < 0 ? 0 : vl, v);
    vl = wu_find_prop (data, len, "Identity", v, sizeof v);
    int wants_identity =
      type == ZMQ_REQ || type == ZMQ_DEALER || type == ZMQ_ROUTER;
    if (wants_identity) {
        const char *want = routing_id ? routing_id : "";
        if (vl != (int) strlen (want) || memcmp (v, want, (size_t) vl) != 0)
            FAIL ("%s: Identity '%.*s', want '%s'", type_name,
                  vl < 0 ? 0 : vl, v, want);
    } else if (vl >= 0)
        FAIL ("%s: unexpected Identity property", type_name);
    close (fd);
    zmq_close (s);
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    check_ready (ctx, ZMQ_DEALER, "DEALER", "dealer-id", "ROUTER");
    check_ready (ctx, ZMQ_DEALER, "DEALER", NULL, "ROUTER");
    check_ready (ctx, ZMQ_ROUTER, "ROUTER", "router-id", "DEALER");
    check_ready (ctx, ZMQ_REQ, "REQ", "req-id", "REP");
    check_ready (ctx, ZMQ_PULL, "PULL", NULL, "PUSH");
    check_ready (ctx, ZMQ_PUSH, "PUSH", NULL, "PULL");
    check_ready (ctx, ZMQ_PUB, "PUB", NULL, "SUB");
    check_ready (ctx, ZMQ_XSUB, "XSUB", NULL, "XPUB");
    check_ready (ctx, ZMQ_PAIR, "PAIR", NULL, "PAIR");
    check_ready (ctx, ZMQ_REP, "REP", NULL, "REQ");
    zmq_ctx_term (ctx);
    return 0;
}
