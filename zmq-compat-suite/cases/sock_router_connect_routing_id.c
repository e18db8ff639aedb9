/* behaviour: ZMQ_CONNECT_ROUTING_ID names the peer of the next connect on a ROUTER, so it can be addressed at once, one name per connection. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *client = zmq_socket (ctx, ZMQ_ROUTER);
    CHECK (client);
    void *srv[2];
    char ep[2][256];
    for (int i = 0; i < 2; i++) {
        srv[i] = zmq_socket (ctx, ZMQ_DEALER);
        CHECK (srv[i]);
        bind_tcp_ephemeral (srv[i], ep[i], sizeof ep[i]);
    }
    CHECK_OK (zmq_setsockopt (client, ZMQ_CONNECT_ROUTING_ID, "first", 5));
    CHECK_OK (zmq_connect (client, ep[0]));
    CHECK_OK (zmq_setsockopt (client, ZMQ_CONNECT_ROUTING_ID, "second", 6));
    CHECK_OK (zmq_connect (client, ep[1]));

    /* Addressable immediately: the peers' names are known locally. */
    send_str (client, "second", ZMQ_SNDMORE);
    send_str (client, "for-second", 0);
    send_str (client, "first", ZMQ_SNDMORE);
    send_str (client, "for-first", 0);
    recv_str_eq (srv[0], "for-first", 0);
    recv_str_eq (srv[1], "for-second", 0);

    /* Replies come back under the same names. */
    send_str (srv[1], "from-second", 0);
    recv_str_eq (client, "second", 0);
    recv_str_eq (client, "from-second", 0);

    for (int i = 0; i < 2; i++)
        zmq_close (srv[i]);
    zmq_close (client);
    zmq_ctx_term (ctx);
    return 0;
}
