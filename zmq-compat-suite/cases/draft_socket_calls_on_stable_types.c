/* behaviour: draft socket calls on stable socket types fail as libzmq 4.3.5's: zmq_join/zmq_leave ENOTSUP, zmq_connect_peer returns 0 with ENOTSUP, zmq_socket_get_peer_state ENOTSUP except on ROUTER (EHOSTUNREACH for an unknown id), a NULL socket ENOTSOCK */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass) and skipped on Debian's stable libzmq 4.3.4. */
#include "draftutil.h"

int main (void)
{
    test_deadline (20);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);

    CHECK_ERR (zmq_join (NULL, "g"), ENOTSOCK);
    CHECK_ERR (zmq_leave (NULL, "g"), ENOTSOCK);
    CHECK_ERR (zmq_join (pub, "g"), ENOTSUP);
    CHECK_ERR (zmq_leave (pub, "g"), ENOTSUP);
    CHECK_ERR (zmq_join (dealer, "g"), ENOTSUP);

    errno = 0;
    CHECK (zmq_connect_peer (NULL, "tcp://127.0.0.1:5555") == 0);
    CHECK_EQ_INT (zmq_errno (), ENOTSOCK);
    errno = 0;
    CHECK (zmq_connect_peer (dealer, "tcp://127.0.0.1:5555") == 0);
    CHECK_EQ_INT (zmq_errno (), ENOTSUP);

    CHECK_ERR (zmq_socket_get_peer_state (NULL, "x", 1), ENOTSOCK);
    CHECK_ERR (zmq_socket_get_peer_state (dealer, "x", 1), ENOTSUP);
    CHECK_ERR (zmq_socket_get_peer_state (router, "x", 1), EHOSTUNREACH);

    zmq_close (pub);
    zmq_close (dealer);
    zmq_close (router);
    zmq_ctx_term (ctx);
    return 0;
}
