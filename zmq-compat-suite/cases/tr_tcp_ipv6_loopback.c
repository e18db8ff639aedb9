/* behaviour: with ZMQ_IPV6 set, a socket binds and connects to tcp://[::1] and LAST_ENDPOINT reports the address in brackets. */
#include "wireutil.h"

static int have_ipv6_loopback (void)
{
    int fd = socket (AF_INET6, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in6 sa;
    memset (&sa, 0, sizeof sa);
    sa.sin6_family = AF_INET6;
    sa.sin6_addr = in6addr_loopback;
    int ok = bind (fd, (struct sockaddr *) &sa, sizeof sa) == 0;
    close (fd);
    return ok;
}

int main (void)
{
    test_deadline (20);
    if (!have_ipv6_loopback ()) {
        fprintf (stderr, "::1 not available\n");
        return SKIP_EXIT;
    }
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (pull && push);
    set_int (pull, ZMQ_IPV6, 1);
    set_int (push, ZMQ_IPV6, 1);
    CHECK_EQ_INT (get_int (pull, ZMQ_IPV6), 1);
    CHECK_OK (zmq_bind (pull, "tcp://[::1]:*"));
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, ep, &len));
    if (strncmp (ep, "tcp://[::1]:", 12) != 0 || atoi (ep + 12) <= 0)
        FAIL ("LAST_ENDPOINT '%s'", ep);
    CHECK_OK (zmq_connect (push, ep));
    send_str (push, "v6", 0);
    recv_str_eq (pull, "v6", 0);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
