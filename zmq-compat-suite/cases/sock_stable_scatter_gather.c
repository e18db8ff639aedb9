/* behaviour: without the draft API SCATTER round-robins single-frame messages to its GATHER peers; SNDMORE on SCATTER is EINVAL */
/* The draft types' numbers are not in the stable header. Checked on
 * Debian's stable libzmq 4.3.4 (the reference, built without drafts) and on
 * libzmq 4.3.5 built with drafts (/tmp/lzd/build/lib): same answers.
 * inproc only: over tcp/ipc the stable reference aborts in its ZMTP
 * handshake (it has no Socket-Type name for types 12..20); Monocoque's
 * default build speaks ZMTP for them as its draft build does. */
#include "testutil.h"

#define T_GATHER 16
#define T_SCATTER 17

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *scatter = zmq_socket (ctx, T_SCATTER);
    void *g1 = zmq_socket (ctx, T_GATHER);
    void *g2 = zmq_socket (ctx, T_GATHER);
    CHECK (scatter && g1 && g2);
    char ep[256];
    inproc_endpoint (ep, sizeof ep, "stable");
    CHECK_OK (zmq_bind (scatter, ep));
    CHECK_OK (zmq_connect (g1, ep));
    CHECK_OK (zmq_connect (g2, ep));
    set_int (g1, ZMQ_RCVTIMEO, 5000);
    set_int (g2, ZMQ_RCVTIMEO, 5000);

    CHECK_ERR (zmq_send (scatter, "a", 1, ZMQ_SNDMORE), EINVAL);
    /* inproc peers attach at connect: four messages, two each, in
     * connect order. */
    send_str (scatter, "m1", 0);
    send_str (scatter, "m2", 0);
    send_str (scatter, "m3", 0);
    send_str (scatter, "m4", 0);
    recv_str_eq (g1, "m1", 0);
    recv_str_eq (g2, "m2", 0);
    recv_str_eq (g1, "m3", 0);
    recv_str_eq (g2, "m4", 0);
    /* GATHER only receives (no send pipe type): ENOTSUP. */
    CHECK_ERR (zmq_send (g1, "x", 1, 0), ENOTSUP);
    /* SCATTER only sends. */
    char buf[16];
    CHECK_ERR (zmq_recv (scatter, buf, sizeof buf, ZMQ_DONTWAIT), ENOTSUP);

    zmq_close (g1);
    zmq_close (g2);
    zmq_close (scatter);
    zmq_ctx_term (ctx);
    return 0;
}
