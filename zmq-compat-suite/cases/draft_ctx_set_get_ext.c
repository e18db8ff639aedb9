/* behaviour: draft zmq_ctx_set_ext/zmq_ctx_get_ext take an int for int options (as zmq_ctx_set/get) and a 1..16 byte string for ZMQ_THREAD_NAME_PREFIX, read back without a terminating NUL; a NULL context is EFAULT */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass) and skipped on Debian's stable libzmq 4.3.4. */
#include "draftutil.h"

int main (void)
{
    test_deadline (20);
    require_draft ();
    int v = 5;
    size_t len = sizeof v;
    CHECK_ERR (zmq_ctx_set_ext (NULL, ZMQ_IO_THREADS, &v, sizeof v), EFAULT);
    CHECK_ERR (zmq_ctx_get_ext (NULL, ZMQ_IO_THREADS, &v, &len), EFAULT);

    void *ctx = zmq_ctx_new ();
    v = 3;
    CHECK_OK (zmq_ctx_set_ext (ctx, ZMQ_IO_THREADS, &v, sizeof v));
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_IO_THREADS), 3);
    v = 0;
    len = sizeof v;
    CHECK_OK (zmq_ctx_get_ext (ctx, ZMQ_IO_THREADS, &v, &len));
    CHECK_EQ_INT (v, 3);
    v = -1;
    CHECK_ERR (zmq_ctx_set_ext (ctx, ZMQ_IO_THREADS, &v, sizeof v), EINVAL);
    CHECK_ERR (zmq_ctx_set_ext (ctx, ZMQ_IO_THREADS, "ab", 2), EINVAL);

    CHECK_OK (zmq_ctx_set_ext (ctx, ZMQ_THREAD_NAME_PREFIX, "fooBAR", 6));
    char name[32];
    memset (name, '#', sizeof name);
    len = sizeof name;
    CHECK_OK (zmq_ctx_get_ext (ctx, ZMQ_THREAD_NAME_PREFIX, name, &len));
    CHECK (memcmp (name, "fooBAR#", 7) == 0);
    CHECK_EQ_INT (len, sizeof name);
    len = 3;
    CHECK_ERR (zmq_ctx_get_ext (ctx, ZMQ_THREAD_NAME_PREFIX, name, &len),
               EINVAL);
    CHECK_ERR (zmq_ctx_set_ext (ctx, ZMQ_THREAD_NAME_PREFIX,
                                "seventeen-chars-x", 17),
               EINVAL);
    CHECK_OK (zmq_ctx_set_ext (ctx, ZMQ_THREAD_NAME_PREFIX,
                               "sixteen-chars-xx", 16));
    /* An int prefix reads back as an int. */
    v = 42;
    CHECK_OK (zmq_ctx_set (ctx, ZMQ_THREAD_NAME_PREFIX, 42));
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_THREAD_NAME_PREFIX), 42);
    zmq_ctx_term (ctx);
    return 0;
}
