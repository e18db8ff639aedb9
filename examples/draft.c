/* The draft API (build with `make install DRAFT=1`, whose libzmq.pc adds
 * -DZMQ_BUILD_DRAFT_API=1): a CLIENT asks a SERVER over tcp, the SERVER
 * answers through the request's routing id, both waited on with a
 * zmq_poller. Prints the reply and exits 0. */
#include <stdio.h>
#include <string.h>
#include <zmq.h>

#ifndef ZMQ_BUILD_DRAFT_API
#error "build against the draft variant: pkg-config --cflags libzmq of make install DRAFT=1"
#endif

#define CHECK(x)                                                              \
    do {                                                                      \
        if (!(x)) {                                                           \
            fprintf (stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #x,       \
                     zmq_strerror (zmq_errno ()));                            \
            return 1;                                                         \
        }                                                                     \
    } while (0)

static int wait_for (void *poller, void *socket)
{
    zmq_poller_event_t ev;
    if (zmq_poller_wait (poller, &ev, 5000) != 0)
        return -1;
    return ev.socket == socket && (ev.events & ZMQ_POLLIN) ? 0 : -1;
}

int main (void)
{
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    CHECK (zmq_has ("draft"));
    void *server = zmq_socket (ctx, ZMQ_SERVER);
    void *client = zmq_socket (ctx, ZMQ_CLIENT);
    CHECK (server && client);
    CHECK (zmq_bind (server, "tcp://127.0.0.1:*") == 0);
    char endpoint[256];
    size_t len = sizeof endpoint;
    CHECK (zmq_getsockopt (server, ZMQ_LAST_ENDPOINT, endpoint, &len) == 0);
    CHECK (zmq_connect (client, endpoint) == 0);

    void *poller = zmq_poller_new ();
    CHECK (poller);
    CHECK (zmq_poller_add (poller, server, NULL, ZMQ_POLLIN) == 0);
    CHECK (zmq_poller_add (poller, client, NULL, ZMQ_POLLIN) == 0);

    CHECK (zmq_send (client, "hello", 5, 0) == 5);
    CHECK (wait_for (poller, server) == 0);
    zmq_msg_t request;
    zmq_msg_init (&request);
    CHECK (zmq_msg_recv (&request, server, 0) == 5);
    uint32_t routing_id = zmq_msg_routing_id (&request);
    CHECK (routing_id != 0);
    zmq_msg_close (&request);

    zmq_msg_t reply;
    CHECK (zmq_msg_init_size (&reply, 5) == 0);
    memcpy (zmq_msg_data (&reply), "world", 5);
    CHECK (zmq_msg_set_routing_id (&reply, routing_id) == 0);
    CHECK (zmq_msg_send (&reply, server, 0) == 5);
    CHECK (wait_for (poller, client) == 0);
    char buf[16];
    int n = zmq_recv (client, buf, sizeof buf, 0);
    CHECK (n == 5);
    printf ("CLIENT got \"%.*s\" from SERVER (routing id %u) over %s\n", n,
            buf, routing_id, endpoint);

    zmq_poller_destroy (&poller);
    zmq_close (client);
    zmq_close (server);
    zmq_ctx_term (ctx);
    return 0;
}
