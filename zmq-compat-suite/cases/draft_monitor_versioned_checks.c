/* behaviour: draft zmq_socket_monitor_versioned refuses events above 16 bits in version 1 and monitor socket types other than PAIR/PUB/PUSH (EINVAL); zmq_socket_monitor_pipes_stats is EINVAL unless the monitor asked for ZMQ_EVENT_PIPES_STATS and EAGAIN while the socket has no pipes */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass) and skipped on Debian's stable libzmq 4.3.4. */
#include "draftutil.h"

int main (void)
{
    test_deadline (20);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    char ep[64];
    inproc_endpoint (ep, sizeof ep, "mon");

    CHECK_ERR (zmq_socket_monitor_versioned (NULL, ep, ZMQ_EVENT_ALL, 1,
                                             ZMQ_PAIR),
               ENOTSOCK);
    CHECK_ERR (zmq_socket_monitor_versioned (s, ep, ZMQ_EVENT_ALL_V2, 1,
                                             ZMQ_PAIR),
               EINVAL);
    CHECK_ERR (zmq_socket_monitor_versioned (s, ep, ZMQ_EVENT_ALL, 2,
                                             ZMQ_REQ),
               EINVAL);
    CHECK_ERR (zmq_socket_monitor_versioned (s, "tcp://127.0.0.1:*",
                                             ZMQ_EVENT_ALL, 2, ZMQ_PAIR),
               EPROTONOSUPPORT);
    CHECK_ERR (zmq_socket_monitor_pipes_stats (NULL), ENOTSOCK);
    CHECK_ERR (zmq_socket_monitor_pipes_stats (s), EINVAL);

    /* libzmq sends MONITOR_STOPPED blocking: every monitor gets a reader
     * before it is stopped. */
    CHECK_OK (zmq_socket_monitor_versioned (s, ep, ZMQ_EVENT_ALL, 2,
                                            ZMQ_PUSH));
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    CHECK_OK (zmq_connect (pull, ep));
    CHECK_ERR (zmq_socket_monitor_pipes_stats (s), EINVAL);

    char ep2[64];
    inproc_endpoint (ep2, sizeof ep2, "mon2");
    CHECK_OK (zmq_socket_monitor_versioned (s, ep2, ZMQ_EVENT_ALL_V2, 2,
                                            ZMQ_PAIR));
    void *pair = zmq_socket (ctx, ZMQ_PAIR);
    CHECK_OK (zmq_connect (pair, ep2));
    CHECK_ERR (zmq_socket_monitor_pipes_stats (s), EAGAIN);
    CHECK_OK (zmq_socket_monitor_versioned (s, NULL, 0, 2, ZMQ_PAIR));
    zmq_close (pull);
    zmq_close (pair);

    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
