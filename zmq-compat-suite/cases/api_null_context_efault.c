/* behaviour: every context function given a NULL context fails with EFAULT (zmq_socket returns NULL) */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    CHECK_ERR (zmq_ctx_term (NULL), EFAULT);
    CHECK_ERR (zmq_ctx_shutdown (NULL), EFAULT);
    CHECK_ERR (zmq_ctx_set (NULL, ZMQ_IO_THREADS, 1), EFAULT);
    CHECK_ERR (zmq_ctx_get (NULL, ZMQ_IO_THREADS), EFAULT);
    CHECK_ERR (zmq_term (NULL), EFAULT);
    CHECK_ERR (zmq_ctx_destroy (NULL), EFAULT);
    errno = 0;
    CHECK (zmq_socket (NULL, ZMQ_PAIR) == NULL);
    CHECK_EQ_INT (zmq_errno (), EFAULT);
    return 0;
}
