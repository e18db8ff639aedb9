/* behaviour: a stable (non-draft) libzmq creates socket types 12..20 (SERVER .. CHANNEL) with their ZMQ_TYPE and ZMQ_THREAD_SAFE; 21 is EINVAL */
/* The draft types' numbers are not in the stable header. Checked on
 * Debian's stable libzmq 4.3.4 (the reference, built without drafts) and on
 * libzmq 4.3.5 built with drafts (/tmp/lzd/build/lib): same answers. */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    /* SERVER CLIENT RADIO DISH GATHER SCATTER DGRAM PEER CHANNEL */
    const int thread_safe[9] = {1, 1, 1, 1, 1, 1, 0, 1, 1};
    for (int t = 12; t <= 20; t++) {
        void *s = zmq_socket (ctx, t);
        if (!s)
            FAIL ("zmq_socket (%d): %s", t, zmq_strerror (zmq_errno ()));
        CHECK_EQ_INT (get_int (s, ZMQ_TYPE), t);
        CHECK_EQ_INT (get_int (s, ZMQ_THREAD_SAFE), thread_safe[t - 12]);
        CHECK_OK (zmq_close (s));
    }
    CHECK (zmq_socket (ctx, 21) == NULL);
    CHECK_EQ_INT (zmq_errno (), EINVAL);
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
