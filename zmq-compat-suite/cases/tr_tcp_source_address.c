/* behaviour: a tcp endpoint of the form tcp://source;destination makes the connection originate from the given local address. */
#include "wireutil.h"

int main (void)
{
    test_deadline (20);
    int port;
    int lfd = wu_listen (&port);
    /* The listener is on 127.0.0.1; 127.0.0.2 is also loopback on Linux. */
    int probe = socket (AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset (&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = inet_addr ("127.0.0.2");
    if (bind (probe, (struct sockaddr *) &sa, sizeof sa) != 0) {
        close (probe);
        fprintf (stderr, "127.0.0.2 not usable\n");
        return SKIP_EXIT;
    }
    close (probe);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    CHECK (dealer);
    set_int (dealer, ZMQ_LINGER, 0);
    char ep[96];
    snprintf (ep, sizeof ep, "tcp://127.0.0.2:0;127.0.0.1:%d", port);
    CHECK_OK (zmq_connect (dealer, ep));
    int fd = wu_accept (lfd, 5000);
    struct sockaddr_in peer;
    socklen_t l = sizeof peer;
    CHECK (getpeername (fd, (struct sockaddr *) &peer, &l) == 0);
    if (peer.sin_addr.s_addr != inet_addr ("127.0.0.2"))
        FAIL ("connection came from %s", inet_ntoa (peer.sin_addr));
    close (fd);
    close (lfd);
    zmq_close (dealer);
    zmq_ctx_term (ctx);
    return 0;
}
