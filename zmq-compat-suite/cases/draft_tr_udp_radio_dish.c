/* behaviour: udp:// for RADIO/DISH: a DISH binds and a RADIO connects (DISH connect, RADIO bind and DGRAM connect are ENOCOMPATPROTO), each message is one datagram that arrives with its group, and the DISH drops the groups it has not joined */
/* Verified against libzmq 4.3.5 built with -DENABLE_DRAFTS=ON (all checks
 * pass: zmq-compat-suite/run /tmp/lzd/build/lib 'draft_*') and skipped on
 * Debian's stable libzmq 4.3.4. Multicast is left out: it needs a route
 * a test machine may lack (libzmq's test_radio_dish covers it). */
#include "draftutil.h"

static void radio_send (void *radio, const char *group, const char *body)
{
    zmq_msg_t m;
    CHECK_OK (zmq_msg_init_size (&m, strlen (body)));
    memcpy (zmq_msg_data (&m), body, strlen (body));
    CHECK_OK (zmq_msg_set_group (&m, group));
    CHECK_EQ_INT (zmq_msg_send (&m, radio, 0), (int) strlen (body));
}

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
    snprintf (group, 300, "%s", zmq_msg_group (&m));
    zmq_msg_close (&m);
    return 1;
}

int main (void)
{
    test_deadline (20);
    require_draft ();
    void *ctx = zmq_ctx_new ();
    void *radio = zmq_socket (ctx, ZMQ_RADIO);
    void *dish = zmq_socket (ctx, ZMQ_DISH);
    void *dgram = zmq_socket (ctx, ZMQ_DGRAM);
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    char ep[64];
    /* A port per process: two cases never share one. */
    snprintf (ep, sizeof ep, "udp://127.0.0.1:%d", 20000 + getpid () % 30000);

    CHECK_ERR (zmq_connect (dish, ep), ENOCOMPATPROTO);
    CHECK_ERR (zmq_bind (radio, ep), ENOCOMPATPROTO);
    CHECK_ERR (zmq_connect (dgram, ep), ENOCOMPATPROTO);
    CHECK_ERR (zmq_bind (pub, ep), ENOCOMPATPROTO);

    CHECK_OK (zmq_bind (dish, ep));
    CHECK_OK (zmq_connect (radio, ep));
    CHECK_OK (zmq_join (dish, "TV"));

    /* Datagrams sent before the DISH's socket is up are lost: probe. */
    char g[300], b[64];
    set_int (dish, ZMQ_RCVTIMEO, 20);
    long long deadline = now_ms () + 5000;
    for (;;) {
        CHECK (now_ms () < deadline);
        radio_send (radio, "TV", "probe");
        if (dish_recv (dish, g, b))
            break;
    }
    CHECK (strcmp (g, "TV") == 0 && strcmp (b, "probe") == 0);
    while (dish_recv (dish, g, b))
        CHECK (strcmp (g, "TV") == 0 && strcmp (b, "probe") == 0);

    /* Not joined: dropped by the DISH; loopback keeps the order. */
    set_int (dish, ZMQ_RCVTIMEO, 5000);
    radio_send (radio, "Movies", "Godfather");
    radio_send (radio, "TV", "Friends");
    CHECK (dish_recv (dish, g, b));
    CHECK (strcmp (g, "TV") == 0 && strcmp (b, "Friends") == 0);

    zmq_close (pub);
    zmq_close (dgram);
    zmq_close (radio);
    zmq_close (dish);
    zmq_ctx_term (ctx);
    return 0;
}
