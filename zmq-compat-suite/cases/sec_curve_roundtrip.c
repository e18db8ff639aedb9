/* behaviour: a CURVE client (ZMQ_CURVE_SERVERKEY, own key pair) and a CURVE server (ZMQ_CURVE_SERVER, secret key) with no ZAP handler exchange multipart messages both ways over tcp, and ZMQ_MECHANISM reports ZMQ_CURVE on both. */
#include "testutil.h"
#include <stdlib.h>

int main (void)
{
    test_deadline (20);
    if (!zmq_has ("curve"))
        return SKIP_EXIT;
    char spub[41], ssec[41], cpub[41], csec[41];
    CHECK_OK (zmq_curve_keypair (spub, ssec));
    CHECK_OK (zmq_curve_keypair (cpub, csec));
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *server = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (server);
    set_int (server, ZMQ_CURVE_SERVER, 1);
    CHECK_OK (zmq_setsockopt (server, ZMQ_CURVE_SECRETKEY, ssec, 40));
    CHECK_EQ_INT (get_int (server, ZMQ_MECHANISM), ZMQ_CURVE);
    CHECK_EQ_INT (get_int (server, ZMQ_CURVE_SERVER), 1);
    char ep[256];
    bind_tcp_ephemeral (server, ep, sizeof ep);

    void *client = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (client);
    CHECK_OK (zmq_setsockopt (client, ZMQ_CURVE_SERVERKEY, spub, 41));
    CHECK_OK (zmq_setsockopt (client, ZMQ_CURVE_PUBLICKEY, cpub, 40));
    CHECK_OK (zmq_setsockopt (client, ZMQ_CURVE_SECRETKEY, csec, 40));
    CHECK_EQ_INT (get_int (client, ZMQ_MECHANISM), ZMQ_CURVE);
    CHECK_EQ_INT (get_int (client, ZMQ_CURVE_SERVER), 0);
    CHECK_OK (zmq_connect (client, ep));

    set_int (server, ZMQ_RCVTIMEO, 5000);
    set_int (client, ZMQ_RCVTIMEO, 5000);
    for (int i = 0; i < 20; i++) {
        char big[3000];
        memset (big, 'a' + i % 26, sizeof big);
        send_str (client, "hello", ZMQ_SNDMORE);
        send_bytes (client, big, (size_t) (i * 150), 0);
        char id[256];
        int idlen = zmq_recv (server, id, sizeof id, 0);
        CHECK (idlen > 0);
        CHECK (get_int (server, ZMQ_RCVMORE));
        recv_str_eq (server, "hello", 0);
        CHECK (get_int (server, ZMQ_RCVMORE));
        recv_frame_bytes_eq (server, big, (size_t) (i * 150), 0);
        CHECK (!get_int (server, ZMQ_RCVMORE));
        CHECK_EQ_INT (zmq_send (server, id, (size_t) idlen, ZMQ_SNDMORE), idlen);
        send_str (server, "world", 0);
        recv_str_eq (client, "world", 0);
    }
    /* A large message. */
    size_t n = 300000;
    char *large = malloc (n);
    CHECK (large);
    for (size_t i = 0; i < n; i++)
        large[i] = (char) (i * 7);
    send_bytes (client, large, n, 0);
    char id[256];
    int idlen = zmq_recv (server, id, sizeof id, 0);
    CHECK (idlen > 0);
    recv_frame_bytes_eq (server, large, n, 0);
    free (large);

    zmq_close (client);
    zmq_close (server);
    zmq_ctx_term (ctx);
    return 0;
}
