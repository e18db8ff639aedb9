/* behaviour: SCATTER and GATHER: thread-safe, SCATTER round-robins single frames over its GATHER peers (over tcp), SNDMORE is EINVAL, SCATTER cannot receive and GATHER cannot send (ENOTSUP), and GATHER drops a peer's multipart message */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass: zmq-compat-suite/run /tmp/lzd/build/lib 'draft_sock_*') and skipped
 * on Debian's stable libzmq 4.3.4. */
#include "draftutil.h"

int main (void)
{
    test_deadline (20);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    void *scatter = zmq_socket (ctx, ZMQ_SCATTER);
    void *g1 = zmq_socket (ctx, ZMQ_GATHER);
    void *g2 = zmq_socket (ctx, ZMQ_GATHER);
    CHECK (scatter && g1 && g2);
    CHECK_EQ_INT (get_int (scatter, ZMQ_TYPE), ZMQ_SCATTER);
    CHECK_EQ_INT (get_int (g1, ZMQ_TYPE), ZMQ_GATHER);
    CHECK_EQ_INT (get_int (scatter, ZMQ_THREAD_SAFE), 1);
    CHECK_EQ_INT (get_int (g1, ZMQ_THREAD_SAFE), 1);
    set_int (g1, ZMQ_RCVTIMEO, 5000);
    set_int (g2, ZMQ_RCVTIMEO, 5000);

    char ep[256];
    bind_tcp_ephemeral (scatter, ep, sizeof ep);
    CHECK_OK (zmq_connect (g1, ep));
    /* Wait until g1 is attached, then add g2 and wait for it too. */
    send_str (scatter, "first", 0);
    recv_str_eq (g1, "first", 0);
    CHECK_OK (zmq_connect (g2, ep));
    char buf[32];
    set_int (g2, ZMQ_RCVTIMEO, 50);
    long long deadline = now_ms () + 5000;
    for (;;) {
        /* Until g2 is attached every probe goes to g1. */
        send_str (scatter, "probe", 0);
        int n = zmq_recv (g2, buf, sizeof buf, 0);
        if (n == 5)
            break;
        CHECK (now_ms () < deadline);
        recv_str_eq (g1, "probe", 0);
    }
    /* The probe that reached g2 moved the turn to g1. */
    set_int (g2, ZMQ_RCVTIMEO, 5000);
    send_str (scatter, "1", 0);
    send_str (scatter, "2", 0);
    send_str (scatter, "3", 0);
    send_str (scatter, "4", 0);
    recv_str_eq (g1, "1", 0);
    recv_str_eq (g2, "2", 0);
    recv_str_eq (g1, "3", 0);
    recv_str_eq (g2, "4", 0);

    CHECK_ERR (zmq_send (scatter, "X", 1, ZMQ_SNDMORE), EINVAL);
    CHECK_ERR (zmq_recv (scatter, buf, sizeof buf, ZMQ_DONTWAIT), ENOTSUP);
    CHECK_ERR (zmq_send (g1, "X", 1, 0), ENOTSUP);

    /* inproc checks no socket types: a PUSH's multipart message is
     * dropped by the GATHER, the next single frame arrives. */
    char ipe[64];
    inproc_endpoint (ipe, sizeof ipe, "sg");
    void *g3 = zmq_socket (ctx, ZMQ_GATHER);
    set_int (g3, ZMQ_RCVTIMEO, 5000);
    CHECK_OK (zmq_bind (g3, ipe));
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK_OK (zmq_connect (push, ipe));
    send_str (push, "part1", ZMQ_SNDMORE);
    send_str (push, "part2", 0);
    send_str (push, "single", 0);
    recv_str_eq (g3, "single", 0);

    zmq_close (push);
    zmq_close (g3);
    zmq_close (g1);
    zmq_close (g2);
    zmq_close (scatter);
    zmq_ctx_term (ctx);
    return 0;
}
