/* behaviour: ZMQ_FD is a valid file descriptor that becomes readable (POLLIN) when the socket gets a message */
#include "testutil.h"
#include <fcntl.h>
#include <poll.h>

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PULL);
    void *b = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (ctx && a && b);
    int fd = -1;
    size_t l = sizeof fd;
    CHECK_OK (zmq_getsockopt (a, ZMQ_FD, &fd, &l));
    CHECK_EQ_INT (l, sizeof (int));
    CHECK (fd >= 0);
    CHECK (fcntl (fd, F_GETFD) != -1);
    /* The same fd every time. */
    int fd2 = -1;
    CHECK_OK (zmq_getsockopt (a, ZMQ_FD, &fd2, &l));
    CHECK_EQ_INT (fd2, fd);
    /* ZMQ_FD is read-only. */
    CHECK_ERR (zmq_setsockopt (a, ZMQ_FD, &fd, sizeof fd), EINVAL);

    char ep[256];
    bind_tcp_ephemeral (a, ep, sizeof ep);
    CHECK_OK (zmq_connect (b, ep));
    /* Drain pending notifications so the fd reflects the new message. */
    (void) get_int (a, ZMQ_EVENTS);
    send_str (b, "signal", 0);
    long long deadline = now_ms () + 5000;
    int readable = 0;
    while (!readable && now_ms () < deadline) {
        if (get_int (a, ZMQ_EVENTS) & ZMQ_POLLIN) {
            readable = 1;
            break;
        }
        struct pollfd pfd = {fd, POLLIN, 0};
        int rc = poll (&pfd, 1, 1000);
        CHECK (rc >= 0);
    }
    CHECK (readable);
    recv_str_eq (a, "signal", ZMQ_DONTWAIT);
    CHECK_OK (zmq_close (a));
    CHECK_OK (zmq_close (b));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
