/* behaviour: zmq_errno returns the calling thread's errno as set by the failed call */
#include "testutil.h"

static int thread_errno;

static void *other (void *arg)
{
    (void) arg;
    /* A failure in another thread must not leak into this one's errno. */
    CHECK_ERR (zmq_close (NULL), ENOTSOCK);
    thread_errno = zmq_errno ();
    return NULL;
}

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    CHECK (ctx);
    CHECK (zmq_socket (ctx, 12345) == NULL);
    CHECK_EQ_INT (errno, EINVAL);
    CHECK_EQ_INT (zmq_errno (), EINVAL);
    pthread_t t = thread_start (other, NULL);
    pthread_join (t, NULL);
    CHECK_EQ_INT (thread_errno, ENOTSOCK);
    CHECK_EQ_INT (zmq_errno (), EINVAL);
    errno = EAGAIN;
    CHECK_EQ_INT (zmq_errno (), EAGAIN);
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
