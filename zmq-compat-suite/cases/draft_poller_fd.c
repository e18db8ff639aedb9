/* behaviour: draft zmq_poller_fd is EINVAL until the poller holds a thread-safe socket; then it gives an fd that becomes readable when such a socket gets a message, and the poller keeps that fd after the socket is removed */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass: zmq-compat-suite/run /tmp/lzd/build/lib 'draft_poller_fd') and
 * skipped on Debian's stable libzmq 4.3.4. */
#include "draftutil.h"
#include <poll.h>

int main (void)
{
    test_deadline (20);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    void *pair = zmq_socket (ctx, ZMQ_PAIR);
    void *scatter = zmq_socket (ctx, ZMQ_SCATTER);
    void *gather = zmq_socket (ctx, ZMQ_GATHER);
    char ep[64];
    inproc_endpoint (ep, sizeof ep, "pollerfd");
    CHECK_OK (zmq_bind (scatter, ep));
    CHECK_OK (zmq_connect (gather, ep));

    void *p = zmq_poller_new ();
    CHECK (p);
    zmq_fd_t fd = -1;
    CHECK_ERR (zmq_poller_fd (p, &fd), EINVAL);
    CHECK_OK (zmq_poller_add (p, pair, NULL, ZMQ_POLLIN));
    CHECK_ERR (zmq_poller_fd (p, &fd), EINVAL);
    CHECK_OK (zmq_poller_add (p, gather, NULL, ZMQ_POLLIN));
    CHECK_OK (zmq_poller_fd (p, &fd));
    CHECK (fd >= 0);

    /* Consume what is pending so far, then a message must wake the fd. */
    zmq_poller_event_t ev;
    CHECK_ERR (zmq_poller_wait (p, &ev, 0), EAGAIN);
    send_str (scatter, "hi", 0);
    struct pollfd pfd = {fd, POLLIN, 0};
    CHECK_EQ_INT (poll (&pfd, 1, 5000), 1);
    CHECK (pfd.revents & POLLIN);
    CHECK_OK (zmq_poller_wait (p, &ev, 2000));
    CHECK (ev.socket == gather);
    CHECK_EQ_INT (ev.events, ZMQ_POLLIN);
    recv_str_eq (gather, "hi", 0);

    CHECK_OK (zmq_poller_remove (p, gather));
    zmq_fd_t again = -1;
    CHECK_OK (zmq_poller_fd (p, &again));
    CHECK_EQ_INT (again, fd);
    CHECK_ERR (zmq_poller_fd (NULL, &again), EFAULT);

    CHECK_OK (zmq_poller_destroy (&p));
    zmq_close (pair);
    zmq_close (scatter);
    zmq_close (gather);
    zmq_ctx_term (ctx);
    return 0;
}
