/* behaviour: ZMQ_THREAD_NAME_PREFIX takes any int (negative too) and reads back as its value; the I/O threads are named "<prefix>/ZMQbg/IO/<n>" and the name is cut to 15 bytes as Linux thread names are */
/* Checked on Debian's stable libzmq 4.3.4 (the reference) and on libzmq
 * 4.3.5 built with drafts (/tmp/lzd/build/lib): same answers. The thread
 * names are read from /proc/self/task/ (Linux). */
#include "testutil.h"

static void run (int prefix, const char *io0, const char *io1)
{
    void *ctx = zmq_ctx_new ();
    CHECK_OK (zmq_ctx_set (ctx, ZMQ_THREAD_NAME_PREFIX, prefix));
    CHECK_EQ_INT (zmq_ctx_get (ctx, ZMQ_THREAD_NAME_PREFIX), prefix);
    CHECK_OK (zmq_ctx_set (ctx, ZMQ_IO_THREADS, 2));
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    CHECK (s);
    /* A tcp endpoint needs the I/O threads running. */
    CHECK_OK (zmq_bind (s, "tcp://127.0.0.1:*"));
    CHECK (has_thread (io0));
    CHECK (has_thread (io1));
    zmq_close (s);
    zmq_ctx_term (ctx);
}

int main (void)
{
    test_deadline (30);
    run (-5, "-5/ZMQbg/IO/0", "-5/ZMQbg/IO/1");
    run (42, "42/ZMQbg/IO/0", "42/ZMQbg/IO/1");
    /* "1234567890/ZMQbg/IO/0" cut to 15 bytes: both threads look alike. */
    run (1234567890, "1234567890/ZMQb", "1234567890/ZMQb");
    return 0;
}
