/* behaviour: a tcp bind may name a network interface (lo) instead of an address; LAST_ENDPOINT reports the interface's address. */
#include "testutil.h"
#include <net/if.h>

int main (void)
{
    test_deadline (20);
    if (if_nametoindex ("lo") == 0) {
        fprintf (stderr, "no loopback interface named lo\n");
        return SKIP_EXIT;
    }
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    CHECK_OK (zmq_bind (pull, "tcp://lo:*"));
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, ep, &len));
    if (strncmp (ep, "tcp://127.0.0.1:", 16) != 0)
        FAIL ("LAST_ENDPOINT '%s'", ep);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (push);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "lo", 0);
    recv_str_eq (pull, "lo", 0);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
