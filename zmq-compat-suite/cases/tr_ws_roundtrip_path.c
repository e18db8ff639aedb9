/* behaviour: REQ/REP over a ws endpoint with a path (an ephemeral port, then /compat-path) exchange multipart messages; LAST_ENDPOINT keeps the path; disconnect and unbind by endpoint succeed, unknown ones are ENOENT. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    CHECK (rep && req);
    CHECK_OK (zmq_bind (rep, "ws://127.0.0.1:*/compat-path"));
    char ep[256];
    size_t len = sizeof ep;
    CHECK_OK (zmq_getsockopt (rep, ZMQ_LAST_ENDPOINT, ep, &len));
    const char *tail = strrchr (ep, '/');
    if (strncmp (ep, "ws://127.0.0.1:", 15) != 0 || atoi (ep + 15) <= 0
        || !tail || strcmp (tail, "/compat-path") != 0)
        FAIL ("LAST_ENDPOINT '%s'", ep);
    CHECK_OK (zmq_connect (req, ep));
    for (int i = 0; i < 3; i++) {
        send_str (req, "first", ZMQ_SNDMORE);
        send_str (req, "", ZMQ_SNDMORE);
        send_str (req, "last", 0);
        recv_str_eq (rep, "first", 0);
        CHECK (get_int (rep, ZMQ_RCVMORE));
        recv_str_eq (rep, "", 0);
        recv_str_eq (rep, "last", 0);
        CHECK (!get_int (rep, ZMQ_RCVMORE));
        send_str (rep, "answer", 0);
        recv_str_eq (req, "answer", 0);
    }
    CHECK_ERR (zmq_disconnect (req, "ws://127.0.0.1:1/nothing"), ENOENT);
    CHECK_OK (zmq_disconnect (req, ep));
    CHECK_OK (zmq_unbind (rep, ep));
    CHECK_ERR (zmq_unbind (rep, ep), ENOENT);
    zmq_close (req);
    zmq_close (rep);
    zmq_ctx_term (ctx);
    return 0;
}
