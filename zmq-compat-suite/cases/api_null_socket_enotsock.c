/* behaviour: every socket function given a NULL socket fails with ENOTSOCK */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    char buf[16];
    int v = 0;
    size_t l = sizeof v;
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    CHECK_ERR (zmq_close (NULL), ENOTSOCK);
    CHECK_ERR (zmq_bind (NULL, "inproc://x"), ENOTSOCK);
    CHECK_ERR (zmq_connect (NULL, "inproc://x"), ENOTSOCK);
    CHECK_ERR (zmq_unbind (NULL, "inproc://x"), ENOTSOCK);
    CHECK_ERR (zmq_disconnect (NULL, "inproc://x"), ENOTSOCK);
    CHECK_ERR (zmq_setsockopt (NULL, ZMQ_LINGER, &v, sizeof v), ENOTSOCK);
    CHECK_ERR (zmq_getsockopt (NULL, ZMQ_LINGER, &v, &l), ENOTSOCK);
    CHECK_ERR (zmq_send (NULL, "a", 1, 0), ENOTSOCK);
    CHECK_ERR (zmq_send_const (NULL, "a", 1, 0), ENOTSOCK);
    CHECK_ERR (zmq_recv (NULL, buf, sizeof buf, 0), ENOTSOCK);
    CHECK_ERR (zmq_msg_send (&m, NULL, 0), ENOTSOCK);
    CHECK_ERR (zmq_msg_recv (&m, NULL, 0), ENOTSOCK);
    CHECK_ERR (zmq_sendmsg (NULL, &m, 0), ENOTSOCK);
    CHECK_ERR (zmq_recvmsg (NULL, &m, 0), ENOTSOCK);
    CHECK_ERR (zmq_socket_monitor (NULL, "inproc://mon", ZMQ_EVENT_ALL),
               ENOTSOCK);
    CHECK_OK (zmq_msg_close (&m));
    return 0;
}
