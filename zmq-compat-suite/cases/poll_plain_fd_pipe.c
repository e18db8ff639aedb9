/* behaviour: zmq_poll polls plain file descriptors (socket NULL, fd set): POLLIN on a readable pipe, POLLOUT on a writable one */
#include "testutil.h"

int main (void)
{
    test_deadline (20);
    int p[2];
    CHECK (pipe (p) == 0);
    zmq_pollitem_t items[2] = {{NULL, p[0], ZMQ_POLLIN, 0},
                               {NULL, p[1], ZMQ_POLLOUT, 0}};
    CHECK_EQ_INT (zmq_poll (items, 2, 0), 1);
    CHECK_EQ_INT (items[0].revents, 0);
    CHECK_EQ_INT (items[1].revents, ZMQ_POLLOUT);
    long long t0 = now_ms ();
    CHECK_EQ_INT (zmq_poll (items, 1, 200), 0);
    CHECK (now_ms () - t0 >= 150);
    CHECK (write (p[1], "x", 1) == 1);
    CHECK_EQ_INT (zmq_poll (items, 2, 1000), 2);
    CHECK_EQ_INT (items[0].revents, ZMQ_POLLIN);
    char c;
    CHECK (read (p[0], &c, 1) == 1);
    CHECK_EQ_INT (zmq_poll (items, 1, 0), 0);
    close (p[0]);
    close (p[1]);
    return 0;
}
