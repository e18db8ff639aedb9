/* behaviour: binding tcp port 0 picks a free port and ZMQ_LAST_ENDPOINT reports the real one. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    void *rep = zmq_socket (ctx, ZMQ_REP);
    CHECK (rep);
    CHECK_OK (zmq_bind (rep, "tcp://127.0.0.1:0"));
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (rep, ZMQ_LAST_ENDPOINT, ep, &len));
    if (strncmp (ep, "tcp://127.0.0.1:", 16) != 0 || atoi (ep + 16) <= 0)
        FAIL ("LAST_ENDPOINT '%s'", ep);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK (req);
    CHECK_OK (zmq_connect (req, ep));
    send_str (req, "q", 0);
    recv_str_eq (rep, "q", 0);
    send_str (rep, "a", 0);
    recv_str_eq (req, "a", 0);
    zmq_close (req);
    zmq_close (rep);
    zmq_ctx_term (ctx);
    return 0;
}
