/* behaviour: draft zmq_ctx_set_ext's ZMQ_THREAD_NAME_PREFIX bytes are kept as given (a NUL inside included) and read back unchanged; the int form reads them as atoi does ("7x" is 7); the I/O threads' names stop at the NUL ("ab" + "/ZMQbg/IO/0") */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON
 * (/tmp/lzd/build/lib: all checks pass) and skipped on Debian's stable
 * libzmq 4.3.4. Thread names are read from /proc/self/task/ (Linux). */
#include "draftutil.h"

int main (void)
{
    test_deadline (20);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    CHECK_OK (zmq_ctx_set_ext (ctx, ZMQ_THREAD_NAME_PREFIX, "7x", 2));
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_THREAD_NAME_PREFIX), 7);

    /* 5 bytes (4 would be read as an int). */
    CHECK_OK (zmq_ctx_set_ext (ctx, ZMQ_THREAD_NAME_PREFIX, "ab\0\xff\x01", 5));
    char name[8];
    memset (name, '#', sizeof name);
    size_t len = sizeof name;
    CHECK_OK (zmq_ctx_get_ext (ctx, ZMQ_THREAD_NAME_PREFIX, name, &len));
    CHECK (memcmp (name, "ab\0\xff\x01###", 8) == 0);
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_THREAD_NAME_PREFIX), 0);

    void *s = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (s);
    CHECK_OK (zmq_bind (s, "tcp://127.0.0.1:*"));
    CHECK (has_thread ("ab/ZMQbg/IO/0"));
    zmq_close (s);
    zmq_ctx_term (ctx);
    return 0;
}
