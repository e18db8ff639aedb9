/* behaviour: draft zmq_poller_* check their arguments as libzmq 4.3.5 does: NULL poller EFAULT, bad socket ENOTSOCK, fd -1 EBADF, unknown event bits EINVAL, double add or unknown remove/modify EINVAL, empty wait EFAULT (no timeout) or EAGAIN, NULL events EFAULT, negative count EINVAL, destroy clears the pointer */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass) and skipped on Debian's stable libzmq 4.3.4. */
#include "draftutil.h"

int main (void)
{
    test_deadline (20);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (s);
    zmq_poller_event_t ev;

    CHECK_ERR (zmq_poller_size (NULL), EFAULT);
    CHECK_ERR (zmq_poller_add (NULL, s, NULL, ZMQ_POLLIN), EFAULT);
    CHECK_ERR (zmq_poller_add_fd (NULL, 0, NULL, ZMQ_POLLIN), EFAULT);
    CHECK_ERR (zmq_poller_wait (NULL, &ev, 0), EFAULT);
    CHECK_ERR (zmq_poller_wait_all (NULL, &ev, 1, 0), EFAULT);
    zmq_fd_t fd;
    CHECK_ERR (zmq_poller_fd (NULL, &fd), EFAULT);
    CHECK_ERR (zmq_poller_destroy (NULL), EFAULT);
    void *null_poller = NULL;
    CHECK_ERR (zmq_poller_destroy (&null_poller), EFAULT);

    void *p = zmq_poller_new ();
    CHECK (p);
    CHECK_EQ_INT (zmq_poller_size (p), 0);

    /* Empty poller: no timeout would sleep forever, so EFAULT; else EAGAIN
     * and the event cleared. */
    ev.events = 99;
    CHECK_ERR (zmq_poller_wait (p, &ev, -1), EFAULT);
    CHECK_ERR (zmq_poller_wait (p, &ev, 0), EAGAIN);
    CHECK_EQ_INT (ev.events, 0);
    CHECK (ev.socket == NULL && ev.user_data == NULL && ev.fd == -1);
    CHECK_ERR (zmq_poller_wait_all (p, NULL, 1, 0), EFAULT);
    CHECK_ERR (zmq_poller_wait_all (p, &ev, -1, 0), EINVAL);

    CHECK_ERR (zmq_poller_add (p, NULL, NULL, ZMQ_POLLIN), ENOTSOCK);
    CHECK_ERR (zmq_poller_add (p, s, NULL, 0x100), EINVAL);
    CHECK_OK (zmq_poller_add (p, s, NULL, ZMQ_POLLIN));
    CHECK_ERR (zmq_poller_add (p, s, NULL, ZMQ_POLLIN), EINVAL);
    CHECK_EQ_INT (zmq_poller_size (p), 1);
    CHECK_ERR (zmq_poller_modify (p, s, 0x100), EINVAL);
    CHECK_OK (zmq_poller_modify (p, s, ZMQ_POLLIN | ZMQ_POLLOUT));

    CHECK_ERR (zmq_poller_add_fd (p, -1, NULL, ZMQ_POLLIN), EBADF);
    CHECK_ERR (zmq_poller_modify_fd (p, -1, ZMQ_POLLIN), EBADF);
    CHECK_ERR (zmq_poller_remove_fd (p, -1), EBADF);
    CHECK_ERR (zmq_poller_remove_fd (p, 0), EINVAL);
    CHECK_ERR (zmq_poller_modify_fd (p, 0, ZMQ_POLLIN), EINVAL);
    CHECK_OK (zmq_poller_add_fd (p, 0, NULL, 0));
    CHECK_ERR (zmq_poller_add_fd (p, 0, NULL, ZMQ_POLLIN), EINVAL);
    CHECK_EQ_INT (zmq_poller_size (p), 2);
    CHECK_OK (zmq_poller_remove_fd (p, 0));
    CHECK_OK (zmq_poller_remove (p, s));
    CHECK_ERR (zmq_poller_remove (p, s), EINVAL);
    CHECK_ERR (zmq_poller_modify (p, s, ZMQ_POLLIN), EINVAL);
    CHECK_EQ_INT (zmq_poller_size (p), 0);

    /* Items without events: nothing to wait for. */
    CHECK_OK (zmq_poller_add (p, s, NULL, 0));
    CHECK_ERR (zmq_poller_wait (p, &ev, -1), EFAULT);
    CHECK_ERR (zmq_poller_wait (p, &ev, 0), EAGAIN);

    /* A poller of thread-unsafe sockets has no signal fd. */
    CHECK_ERR (zmq_poller_fd (p, &fd), EINVAL);

    CHECK_OK (zmq_poller_destroy (&p));
    CHECK (p == NULL);
    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
