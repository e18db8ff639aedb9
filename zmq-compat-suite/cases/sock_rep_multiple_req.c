/* behaviour: a REP serving several REQ clients sends each reply back to the client that asked. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *rep = zmq_socket (ctx, ZMQ_REP);
    CHECK (rep);
    char ep[256];
    bind_tcp_ephemeral (rep, ep, sizeof ep);
    void *req[3];
    for (int i = 0; i < 3; i++) {
        req[i] = zmq_socket (ctx, ZMQ_REQ);
        CHECK (req[i]);
        CHECK_OK (zmq_connect (req[i], ep));
        char buf[16];
        snprintf (buf, sizeof buf, "client%d", i);
        send_str (req[i], buf, 0);
    }
    for (int k = 0; k < 3; k++) {
        char buf[64];
        if (recv_str_within (rep, buf, sizeof buf, 5000) < 0)
            FAIL ("request %d missing", k);
        char reply[80];
        snprintf (reply, sizeof reply, "re:%s", buf);
        send_str (rep, reply, 0);
    }
    for (int i = 0; i < 3; i++) {
        char want[32];
        snprintf (want, sizeof want, "re:client%d", i);
        recv_str_eq (req[i], want, 0);
    }
    for (int i = 0; i < 3; i++)
        zmq_close (req[i]);
    zmq_close (rep);
    zmq_ctx_term (ctx);
    return 0;
}
