/* behaviour: draft message fields: zmq_msg_routing_id is 0 until set and zmq_msg_set_routing_id(0) is EINVAL; zmq_msg_group is "" until set, a longer group is cut to its first 255 bytes (libzmq reads it with strnlen); zmq_msg_copy keeps both; zmq_msg_init_buffer copies the caller's bytes */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass) and skipped on Debian's stable libzmq 4.3.4. */
#include "draftutil.h"

int main (void)
{
    test_deadline (20);
    require_draft ();
    zmq_msg_t m, c;
    char buf[4] = "abc";
    CHECK_OK (zmq_msg_init_buffer (&m, buf, 3));
    buf[0] = 'X';
    CHECK_EQ_INT (zmq_msg_size (&m), 3);
    CHECK (memcmp (zmq_msg_data (&m), "abc", 3) == 0);

    CHECK_EQ_INT (zmq_msg_routing_id (&m), 0);
    CHECK_ERR (zmq_msg_set_routing_id (&m, 0), EINVAL);
    CHECK_OK (zmq_msg_set_routing_id (&m, 0xdeadbeef));
    CHECK_EQ_INT (zmq_msg_routing_id (&m), 0xdeadbeef);

    CHECK (strcmp (zmq_msg_group (&m), "") == 0);
    CHECK_OK (zmq_msg_set_group (&m, "weather"));
    CHECK (strcmp (zmq_msg_group (&m), "weather") == 0);
    char longest[257];
    memset (longest, 'g', 256);
    longest[256] = 0;
    CHECK_OK (zmq_msg_set_group (&m, longest));
    CHECK_EQ_INT (strlen (zmq_msg_group (&m)), 255);
    longest[255] = 0;
    CHECK (strcmp (zmq_msg_group (&m), longest) == 0);

    CHECK_OK (zmq_msg_init (&c));
    CHECK_OK (zmq_msg_copy (&c, &m));
    CHECK_EQ_INT (zmq_msg_routing_id (&c), 0xdeadbeef);
    CHECK (strcmp (zmq_msg_group (&c), longest) == 0);
    CHECK (memcmp (zmq_msg_data (&c), "abc", 3) == 0);

    CHECK_OK (zmq_msg_init_buffer (&c, NULL, 0));
    CHECK_EQ_INT (zmq_msg_size (&c), 0);
    zmq_msg_close (&c);
    zmq_msg_close (&m);
    return 0;
}
