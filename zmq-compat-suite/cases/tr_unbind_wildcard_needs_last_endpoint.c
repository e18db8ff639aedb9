/* behaviour: a wildcard tcp bind is undone with the resolved endpoint from ZMQ_LAST_ENDPOINT; the wildcard text itself is ENOENT; afterwards new connections are refused. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK (pull);
    char ep[256];
    bind_tcp_ephemeral (pull, ep, sizeof ep);
    CHECK_ERR (zmq_unbind (pull, "tcp://127.0.0.1:*"), ENOENT);
    CHECK_OK (zmq_unbind (pull, ep));
    CHECK_ERR (zmq_unbind (pull, ep), ENOENT);
    /* The listener closes (asynchronously): raw connects end up refused. */
    int port = wu_endpoint_port (ep);
    long long deadline = now_ms () + 3000;
    for (;;) {
        int fd = socket (AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in sa;
        memset (&sa, 0, sizeof sa);
        sa.sin_family = AF_INET;
        sa.sin_port = htons ((uint16_t) port);
        sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
        int rc = connect (fd, (struct sockaddr *) &sa, sizeof sa);
        int err = errno;
        close (fd);
        if (rc != 0 && err == ECONNREFUSED)
            break;
        if (now_ms () > deadline)
            FAIL ("port %d still accepts connections after unbind", port);
        msleep (10);
    }
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
