/* behaviour: IPC_FILTER_PID/UID/GID take (NULL, 0) to empty their list and refuse a non-NULL empty value; TCP_KEEPALIVE_CNT/IDLE/INTVL take 0; BINDTODEVICE refuses more than 16 bytes; zmq_ctx_set MAX_SOCKETS takes any count from 1 */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    CHECK (ctx && s);
    const int filters[] = {ZMQ_IPC_FILTER_PID, ZMQ_IPC_FILTER_UID,
                           ZMQ_IPC_FILTER_GID};
    for (int i = 0; i < 3; i++) {
        int id = 0;
        CHECK_OK (zmq_setsockopt (s, filters[i], &id, sizeof id));
        CHECK_OK (zmq_setsockopt (s, filters[i], NULL, 0));
        CHECK_ERR (zmq_setsockopt (s, filters[i], &id, 0), EINVAL);
        CHECK_ERR (zmq_setsockopt (s, filters[i], &id, 2), EINVAL);
    }
    const int keepalive[] = {ZMQ_TCP_KEEPALIVE_CNT, ZMQ_TCP_KEEPALIVE_IDLE,
                             ZMQ_TCP_KEEPALIVE_INTVL};
    for (int i = 0; i < 3; i++) {
        set_int (s, keepalive[i], 0);
        CHECK_EQ_INT (get_int (s, keepalive[i]), 0);
        int bad = -2;
        CHECK_ERR (zmq_setsockopt (s, keepalive[i], &bad, sizeof bad), EINVAL);
    }
    CHECK_ERR (zmq_setsockopt (s, ZMQ_BINDTODEVICE, "abcdefghijklmnopq", 17),
               EINVAL);
    CHECK_OK (zmq_close (s));

    void *c2 = zmq_ctx_new ();
    CHECK (c2);
    CHECK_OK (zmq_ctx_set (c2, ZMQ_MAX_SOCKETS, 100000));
    CHECK_EQ_INT (zmq_ctx_get (c2, ZMQ_MAX_SOCKETS), 100000);
    CHECK_ERR (zmq_ctx_set (c2, ZMQ_MAX_SOCKETS, 0), EINVAL);
    CHECK_OK (zmq_ctx_term (c2));
    CHECK_OK (zmq_ctx_term (ctx));
    return 0;
}
