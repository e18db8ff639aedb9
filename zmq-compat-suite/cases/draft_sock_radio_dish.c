/* behaviour: RADIO and DISH over tcp and inproc: thread-safe, a DISH gets only the groups it joined (before or after connecting) with zmq_msg_group set, stops getting a group it left, zmq_join/zmq_leave are EINVAL for a group too long, joined twice or not joined and ENOTSUP on other types, RADIO cannot receive and DISH cannot send (ENOTSUP), RADIO SNDMORE is EINVAL */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass: zmq-compat-suite/run /tmp/lzd/build/lib 'draft_sock_*') and skipped
 * on Debian's stable libzmq 4.3.4. */
#include "draftutil.h"

static void radio_send (void *radio, const char *group, const char *body)
{
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init_size (&m, strlen (body)));
    memcpy (zmq_msg_data (&m), body, strlen (body));
    CHECK_OK (zmq_msg_set_group (&m, group));
    CHECK_EQ_INT (zmq_msg_send (&m, radio, 0), (int) strlen (body));
}

/* Receives within the socket's RCVTIMEO: 1 and the group/body, or 0. */
static int dish_recv (void *dish, char *group, char *body)
{
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init (&m));
    int n = zmq_msg_recv (&m, dish, 0);
    if (n < 0) {
        CHECK_EQ_INT (zmq_errno (), EAGAIN);
        zmq_msg_close (&m);
        return 0;
    }
    CHECK (n < 64);
    memcpy (body, zmq_msg_data (&m), n);
    body[n] = 0;
    CHECK_EQ_INT (zmq_msg_more (&m), 0);
    snprintf (group, 300, "%s", zmq_msg_group (&m));
    zmq_msg_close (&m);
    return 1;
}

static void expect (void *dish, const char *group, const char *body)
{
    char g[300], b[64];
    if (!dish_recv (dish, g, b))
        FAIL ("nothing received, expected %s/%s", group, body);
    if (strcmp (g, group) != 0 || strcmp (b, body) != 0)
        FAIL ("received %s/%s, expected %s/%s", g, b, group, body);
}

/* Sends `group` messages until one reaches the dish (its JOIN has reached
 * the radio): the first message received must be of that group. */
static void settle (void *radio, void *dish, const char *group)
{
    char g[300], b[64];
    long long deadline = now_ms () + 5000;
    set_int (dish, ZMQ_RCVTIMEO, 20);
    for (;;) {
        CHECK (now_ms () < deadline);
        radio_send (radio, group, "probe");
        if (dish_recv (dish, g, b)) {
            CHECK (strcmp (g, group) == 0 && strcmp (b, "probe") == 0);
            break;
        }
    }
    while (dish_recv (dish, g, b))
        CHECK (strcmp (g, group) == 0 && strcmp (b, "probe") == 0);
    set_int (dish, ZMQ_RCVTIMEO, 5000);
}

static void run (void *ctx, const char *transport)
{
    void *radio = zmq_socket (ctx, ZMQ_RADIO);
    void *dish = zmq_socket (ctx, ZMQ_DISH);
    char ep[256];
    if (strcmp (transport, "tcp") == 0)
        bind_tcp_ephemeral (radio, ep, sizeof ep);
    else {
        inproc_endpoint (ep, sizeof ep, "rd");
        CHECK_OK (zmq_bind (radio, ep));
    }
    /* Joined before connecting: sent when the pipe comes up. */
    CHECK_OK (zmq_join (dish, "Movies"));
    CHECK_OK (zmq_connect (dish, ep));
    settle (radio, dish, "Movies");

    /* Not joined: filtered out at the radio. */
    radio_send (radio, "TV", "Friends");
    radio_send (radio, "Movies", "Godfather");
    expect (dish, "Movies", "Godfather");

    /* Joined while connected. */
    CHECK_OK (zmq_join (dish, "TV"));
    settle (radio, dish, "TV");
    radio_send (radio, "TV", "Friends");
    radio_send (radio, "Movies", "Alien");
    expect (dish, "TV", "Friends");
    expect (dish, "Movies", "Alien");

    /* Left: once a TV message is filtered, every later one is. */
    CHECK_OK (zmq_leave (dish, "TV"));
    long long deadline = now_ms () + 5000;
    char g[300], b[64];
    for (;;) {
        CHECK (now_ms () < deadline);
        radio_send (radio, "TV", "late");
        radio_send (radio, "Movies", "marker");
        CHECK (dish_recv (dish, g, b));
        if (strcmp (g, "Movies") == 0) {
            CHECK (strcmp (b, "marker") == 0);
            break;
        }
        CHECK (strcmp (g, "TV") == 0 && strcmp (b, "late") == 0);
        expect (dish, "Movies", "marker");
    }
    radio_send (radio, "TV", "Friends");
    radio_send (radio, "Movies", "Heat");
    expect (dish, "Movies", "Heat");

    zmq_close (dish);
    zmq_close (radio);
}

int main (void)
{
    test_deadline (25);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    void *radio = zmq_socket (ctx, ZMQ_RADIO);
    void *dish = zmq_socket (ctx, ZMQ_DISH);
    CHECK_EQ_INT (get_int (radio, ZMQ_TYPE), ZMQ_RADIO);
    CHECK_EQ_INT (get_int (dish, ZMQ_TYPE), ZMQ_DISH);
    CHECK_EQ_INT (get_int (radio, ZMQ_THREAD_SAFE), 1);
    CHECK_EQ_INT (get_int (dish, ZMQ_THREAD_SAFE), 1);
    int fd;
    size_t fdlen = sizeof fd;
    CHECK_ERR (zmq_getsockopt (dish, ZMQ_FD, &fd, &fdlen), EINVAL);

    char longest[ZMQ_GROUP_MAX_LENGTH + 2];
    memset (longest, 'g', sizeof longest);
    longest[ZMQ_GROUP_MAX_LENGTH + 1] = 0;
    CHECK_ERR (zmq_join (dish, longest), EINVAL);
    longest[ZMQ_GROUP_MAX_LENGTH] = 0;
    CHECK_OK (zmq_join (dish, longest));
    CHECK_ERR (zmq_join (dish, longest), EINVAL);
    CHECK_OK (zmq_leave (dish, longest));
    CHECK_ERR (zmq_leave (dish, longest), EINVAL);
    CHECK_ERR (zmq_leave (dish, "never"), EINVAL);
    CHECK_ERR (zmq_join (radio, "x"), ENOTSUP);
    CHECK_ERR (zmq_leave (radio, "x"), ENOTSUP);

    char buf[8];
    CHECK_ERR (zmq_recv (radio, buf, sizeof buf, ZMQ_DONTWAIT), ENOTSUP);
    CHECK_ERR (zmq_send (dish, "x", 1, ZMQ_DONTWAIT), ENOTSUP);
    CHECK_ERR (zmq_send (radio, "x", 1, ZMQ_SNDMORE), EINVAL);
    /* No peer joined: the message goes nowhere, the send succeeds. */
    radio_send (radio, "nobody", "x");
    zmq_close (radio);
    zmq_close (dish);

    run (ctx, "tcp");
    run (ctx, "inproc");
    zmq_ctx_term (ctx);
    return 0;
}
