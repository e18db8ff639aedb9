/* behaviour: without the draft API, zmq_poll on a thread-safe socket (SERVER, CLIENT: no ZMQ_FD) fails with EINVAL; zmq_getsockopt ZMQ_FD on it is EINVAL too */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    if (zmq_has ("draft"))
        return SKIP_EXIT; /* a draft libzmq polls them with its poller */
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    const int types[] = {12 /* SERVER */, 13 /* CLIENT */};
    for (int i = 0; i < 2; i++) {
        void *s = zmq_socket (ctx, types[i]);
        if (!s)
            return SKIP_EXIT;
        void *d = zmq_socket (ctx, ZMQ_DEALER);
        CHECK (d);
        zmq_pollitem_t items[2] = {{d, 0, ZMQ_POLLIN, 0},
                                   {s, 0, ZMQ_POLLIN, 0}};
        CHECK_ERR (zmq_poll (items, 2, 0), EINVAL);
        int fd;
        size_t len = sizeof fd;
        CHECK_ERR (zmq_getsockopt (s, ZMQ_FD, &fd, &len), EINVAL);
        CHECK_EQ_INT (zmq_poll (items, 1, 0), 0);
        CHECK_OK (zmq_close (s));
        CHECK_OK (zmq_close (d));
    }
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
