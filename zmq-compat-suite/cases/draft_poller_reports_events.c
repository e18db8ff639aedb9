/* behaviour: draft zmq_poller_wait_all reports ready sockets and fds in registration order with their user data (fd -1 for a socket, socket NULL for an fd), masks socket events by the registered ones, clears the unused tail entries, and times out with EAGAIN */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass) and skipped on Debian's stable libzmq 4.3.4. */
#include "draftutil.h"

int main (void)
{
    test_deadline (20);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    char ep[64];
    inproc_endpoint (ep, sizeof ep, "poller");
    CHECK_OK (zmq_bind (a, ep));
    CHECK_OK (zmq_connect (b, ep));
    int pfd[2];
    CHECK (pipe (pfd) == 0);

    void *p = zmq_poller_new ();
    CHECK (p);
    int tag_a = 1, tag_fd = 2;
    CHECK_OK (zmq_poller_add (p, a, &tag_a, ZMQ_POLLIN));
    CHECK_OK (zmq_poller_add_fd (p, pfd[0], &tag_fd, ZMQ_POLLIN));

    zmq_poller_event_t ev[3];
    memset (ev, 0x5a, sizeof ev);
    CHECK_ERR (zmq_poller_wait_all (p, ev, 3, 50), EAGAIN);

    send_str (b, "hi", 0);
    CHECK (write (pfd[1], "x", 1) == 1);
    memset (ev, 0x5a, sizeof ev);
    int n = zmq_poller_wait_all (p, ev, 3, 2000);
    if (n == 1) /* the inproc message may still be on its way */
        n = zmq_poller_wait_all (p, ev, 3, 2000);
    CHECK_EQ_INT (n, 2);
    CHECK (ev[0].socket == a && ev[0].fd == -1 && ev[0].user_data == &tag_a);
    CHECK_EQ_INT (ev[0].events, ZMQ_POLLIN);
    CHECK (ev[1].socket == NULL && ev[1].fd == pfd[0]
           && ev[1].user_data == &tag_fd);
    CHECK_EQ_INT (ev[1].events, ZMQ_POLLIN);
    CHECK (ev[2].socket == NULL && ev[2].fd == -1 && ev[2].user_data == NULL
           && ev[2].events == 0);

    /* One slot: only the first ready item. */
    CHECK_EQ_INT (zmq_poller_wait_all (p, ev, 1, 0), 1);
    CHECK (ev[0].socket == a);
    CHECK_OK (zmq_poller_wait (p, ev, 0));
    CHECK (ev[0].socket == a);

    /* Registered for POLLOUT only: a's POLLIN is not reported. */
    CHECK_OK (zmq_poller_modify (p, a, ZMQ_POLLOUT));
    CHECK_OK (zmq_poller_modify_fd (p, pfd[0], 0));
    n = zmq_poller_wait_all (p, ev, 3, 0);
    CHECK_EQ_INT (n, 1);
    CHECK (ev[0].socket == a);
    CHECK_EQ_INT (ev[0].events, ZMQ_POLLOUT);

    recv_str_eq (a, "hi", 0);
    CHECK_OK (zmq_poller_destroy (&p));
    close (pfd[0]);
    close (pfd[1]);
    zmq_close (a);
    zmq_close (b);
    zmq_ctx_term (ctx);
    return 0;
}
