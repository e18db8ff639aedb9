/* constants.c: prints every constant of zmq.h and the layout of its C types,
   one "NAME value" line each, for whichever zmq.h it is compiled against.

   capi-tests/run compiles it twice, against the reference libzmq's header and
   against Monocoque's include/zmq.h, and diffs the two outputs. Lines that
   start with "version " are the release number, the one allowed difference
   (the reference is 4.3.4, Monocoque 4.3.5); the runner checks ours apart.
   With -DZMQ_BUILD_DRAFT_API it also prints the draft API's constants
   ("undefined" when a header lacks one). Needs no library: it only prints. */

#include <zmq.h>

#include <stddef.h>
#include <stdio.h>

#define P(name) printf("%s %lld\n", #name, (long long) (name))
#define UNDEF(name) printf("%s undefined\n", #name)
#define VERSION(name) printf("version %s %lld\n", #name, (long long) (name))
#define ALIGNOF(type) offsetof (struct { char c; type t; }, t)

/* The callback typedefs are function types: these must compile. */
static void free_cb (void *data, void *hint)
{
    (void) data;
    (void) hint;
}
static void timer_cb (int timer_id, void *arg)
{
    (void) timer_id;
    (void) arg;
}
static void thread_cb (void *arg)
{
    (void) arg;
}

int main (void)
{
    zmq_free_fn *ffn = free_cb;
    zmq_timer_fn *tfn = timer_cb;
    zmq_thread_fn *thfn = thread_cb;
    struct zmq_msg_t *tagged_msg = NULL;
    zmq_msg_t *msg = tagged_msg;
    struct zmq_pollitem_t *tagged_item = NULL;
    zmq_pollitem_t *item = tagged_item;
    (void) ffn;
    (void) tfn;
    (void) thfn;
    (void) msg;
    (void) item;

    VERSION (ZMQ_VERSION_MAJOR);
    VERSION (ZMQ_VERSION_MINOR);
    VERSION (ZMQ_VERSION_PATCH);
    VERSION (ZMQ_VERSION);
    VERSION (ZMQ_MAKE_VERSION (1, 2, 3));

    /* Stable API. */
    P (ZMQ_DEFINED_STDINT);
    P (ZMQ_HAUSNUMERO);
    P (EFSM);
    P (ENOCOMPATPROTO);
    P (ETERM);
    P (EMTHREAD);
    P (ZMQ_IO_THREADS);
    P (ZMQ_MAX_SOCKETS);
    P (ZMQ_SOCKET_LIMIT);
    P (ZMQ_THREAD_PRIORITY);
    P (ZMQ_THREAD_SCHED_POLICY);
    P (ZMQ_MAX_MSGSZ);
    P (ZMQ_MSG_T_SIZE);
    P (ZMQ_THREAD_AFFINITY_CPU_ADD);
    P (ZMQ_THREAD_AFFINITY_CPU_REMOVE);
    P (ZMQ_THREAD_NAME_PREFIX);
    P (ZMQ_IO_THREADS_DFLT);
    P (ZMQ_MAX_SOCKETS_DFLT);
    P (ZMQ_THREAD_PRIORITY_DFLT);
    P (ZMQ_THREAD_SCHED_POLICY_DFLT);
    P (ZMQ_PAIR);
    P (ZMQ_PUB);
    P (ZMQ_SUB);
    P (ZMQ_REQ);
    P (ZMQ_REP);
    P (ZMQ_DEALER);
    P (ZMQ_ROUTER);
    P (ZMQ_PULL);
    P (ZMQ_PUSH);
    P (ZMQ_XPUB);
    P (ZMQ_XSUB);
    P (ZMQ_STREAM);
    P (ZMQ_XREQ);
    P (ZMQ_XREP);
    P (ZMQ_AFFINITY);
    P (ZMQ_ROUTING_ID);
    P (ZMQ_SUBSCRIBE);
    P (ZMQ_UNSUBSCRIBE);
    P (ZMQ_RATE);
    P (ZMQ_RECOVERY_IVL);
    P (ZMQ_SNDBUF);
    P (ZMQ_RCVBUF);
    P (ZMQ_RCVMORE);
    P (ZMQ_FD);
    P (ZMQ_EVENTS);
    P (ZMQ_TYPE);
    P (ZMQ_LINGER);
    P (ZMQ_RECONNECT_IVL);
    P (ZMQ_BACKLOG);
    P (ZMQ_RECONNECT_IVL_MAX);
    P (ZMQ_MAXMSGSIZE);
    P (ZMQ_SNDHWM);
    P (ZMQ_RCVHWM);
    P (ZMQ_MULTICAST_HOPS);
    P (ZMQ_RCVTIMEO);
    P (ZMQ_SNDTIMEO);
    P (ZMQ_LAST_ENDPOINT);
    P (ZMQ_ROUTER_MANDATORY);
    P (ZMQ_TCP_KEEPALIVE);
    P (ZMQ_TCP_KEEPALIVE_CNT);
    P (ZMQ_TCP_KEEPALIVE_IDLE);
    P (ZMQ_TCP_KEEPALIVE_INTVL);
    P (ZMQ_IMMEDIATE);
    P (ZMQ_XPUB_VERBOSE);
    P (ZMQ_ROUTER_RAW);
    P (ZMQ_IPV6);
    P (ZMQ_MECHANISM);
    P (ZMQ_PLAIN_SERVER);
    P (ZMQ_PLAIN_USERNAME);
    P (ZMQ_PLAIN_PASSWORD);
    P (ZMQ_CURVE_SERVER);
    P (ZMQ_CURVE_PUBLICKEY);
    P (ZMQ_CURVE_SECRETKEY);
    P (ZMQ_CURVE_SERVERKEY);
    P (ZMQ_PROBE_ROUTER);
    P (ZMQ_REQ_CORRELATE);
    P (ZMQ_REQ_RELAXED);
    P (ZMQ_CONFLATE);
    P (ZMQ_ZAP_DOMAIN);
    P (ZMQ_ROUTER_HANDOVER);
    P (ZMQ_TOS);
    P (ZMQ_CONNECT_ROUTING_ID);
    P (ZMQ_GSSAPI_SERVER);
    P (ZMQ_GSSAPI_PRINCIPAL);
    P (ZMQ_GSSAPI_SERVICE_PRINCIPAL);
    P (ZMQ_GSSAPI_PLAINTEXT);
    P (ZMQ_HANDSHAKE_IVL);
    P (ZMQ_SOCKS_PROXY);
    P (ZMQ_XPUB_NODROP);
    P (ZMQ_BLOCKY);
    P (ZMQ_XPUB_MANUAL);
    P (ZMQ_XPUB_WELCOME_MSG);
    P (ZMQ_STREAM_NOTIFY);
    P (ZMQ_INVERT_MATCHING);
    P (ZMQ_HEARTBEAT_IVL);
    P (ZMQ_HEARTBEAT_TTL);
    P (ZMQ_HEARTBEAT_TIMEOUT);
    P (ZMQ_XPUB_VERBOSER);
    P (ZMQ_CONNECT_TIMEOUT);
    P (ZMQ_TCP_MAXRT);
    P (ZMQ_THREAD_SAFE);
    P (ZMQ_MULTICAST_MAXTPDU);
    P (ZMQ_VMCI_BUFFER_SIZE);
    P (ZMQ_VMCI_BUFFER_MIN_SIZE);
    P (ZMQ_VMCI_BUFFER_MAX_SIZE);
    P (ZMQ_VMCI_CONNECT_TIMEOUT);
    P (ZMQ_USE_FD);
    P (ZMQ_GSSAPI_PRINCIPAL_NAMETYPE);
    P (ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE);
    P (ZMQ_BINDTODEVICE);
    P (ZMQ_MORE);
    P (ZMQ_SHARED);
    P (ZMQ_DONTWAIT);
    P (ZMQ_SNDMORE);
    P (ZMQ_NULL);
    P (ZMQ_PLAIN);
    P (ZMQ_CURVE);
    P (ZMQ_GSSAPI);
    P (ZMQ_GROUP_MAX_LENGTH);
    P (ZMQ_IDENTITY);
    P (ZMQ_CONNECT_RID);
    P (ZMQ_TCP_ACCEPT_FILTER);
    P (ZMQ_IPC_FILTER_PID);
    P (ZMQ_IPC_FILTER_UID);
    P (ZMQ_IPC_FILTER_GID);
    P (ZMQ_IPV4ONLY);
    P (ZMQ_DELAY_ATTACH_ON_CONNECT);
    P (ZMQ_NOBLOCK);
    P (ZMQ_FAIL_UNROUTABLE);
    P (ZMQ_ROUTER_BEHAVIOR);
    P (ZMQ_SRCFD);
    P (ZMQ_GSSAPI_NT_HOSTBASED);
    P (ZMQ_GSSAPI_NT_USER_NAME);
    P (ZMQ_GSSAPI_NT_KRB5_PRINCIPAL);
    P (ZMQ_EVENT_CONNECTED);
    P (ZMQ_EVENT_CONNECT_DELAYED);
    P (ZMQ_EVENT_CONNECT_RETRIED);
    P (ZMQ_EVENT_LISTENING);
    P (ZMQ_EVENT_BIND_FAILED);
    P (ZMQ_EVENT_ACCEPTED);
    P (ZMQ_EVENT_ACCEPT_FAILED);
    P (ZMQ_EVENT_CLOSED);
    P (ZMQ_EVENT_CLOSE_FAILED);
    P (ZMQ_EVENT_DISCONNECTED);
    P (ZMQ_EVENT_MONITOR_STOPPED);
    P (ZMQ_EVENT_ALL);
    P (ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL);
    P (ZMQ_EVENT_HANDSHAKE_SUCCEEDED);
    P (ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL);
    P (ZMQ_EVENT_HANDSHAKE_FAILED_AUTH);
    P (ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED);
    P (ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND);
    P (ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE);
    P (ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE);
    P (ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED);
    P (ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE);
    P (ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO);
    P (ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE);
    P (ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR);
    P (ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY);
    P (ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME);
    P (ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA);
    P (ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC);
    P (ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH);
    P (ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED);
    P (ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY);
    P (ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID);
    P (ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION);
    P (ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE);
    P (ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA);
    P (ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED);
    P (ZMQ_POLLIN);
    P (ZMQ_POLLOUT);
    P (ZMQ_POLLERR);
    P (ZMQ_POLLPRI);
    P (ZMQ_POLLITEMS_DFLT);
    P (ZMQ_HAS_CAPABILITIES);
    P (ZMQ_STREAMER);
    P (ZMQ_FORWARDER);
    P (ZMQ_QUEUE);

    /* Error numbers zmq.h defines only when errno.h lacks them. */
    P (ENOTSUP);
    P (EPROTONOSUPPORT);
    P (ENOBUFS);
    P (ENETDOWN);
    P (EADDRINUSE);
    P (EADDRNOTAVAIL);
    P (ECONNREFUSED);
    P (EINPROGRESS);
    P (ENOTSOCK);
    P (EMSGSIZE);
    P (EAFNOSUPPORT);
    P (ENETUNREACH);
    P (ECONNABORTED);
    P (ECONNRESET);
    P (ENOTCONN);
    P (ETIMEDOUT);
    P (EHOSTUNREACH);
    P (ENETRESET);

#ifdef ZMQ_HAVE_TIMERS
    printf ("ZMQ_HAVE_TIMERS defined\n");
#else
    UNDEF (ZMQ_HAVE_TIMERS);
#endif

    /* C types. */
    P (sizeof (zmq_msg_t));
    P (ALIGNOF (zmq_msg_t));
    P (sizeof (zmq_fd_t));
    P (sizeof (zmq_pollitem_t));
    P (ALIGNOF (zmq_pollitem_t));
    P (offsetof (zmq_pollitem_t, socket));
    P (offsetof (zmq_pollitem_t, fd));
    P (offsetof (zmq_pollitem_t, events));
    P (offsetof (zmq_pollitem_t, revents));
    P (sizeof (((zmq_pollitem_t *) 0)->events));
    P (sizeof (((zmq_pollitem_t *) 0)->revents));

#ifdef ZMQ_BUILD_DRAFT_API
    /* Draft API. */
#ifdef ZMQ_HAVE_POLLER
    printf ("ZMQ_HAVE_POLLER defined\n");
    P (sizeof (zmq_poller_event_t));
    P (ALIGNOF (zmq_poller_event_t));
    P (offsetof (zmq_poller_event_t, socket));
    P (offsetof (zmq_poller_event_t, fd));
    P (offsetof (zmq_poller_event_t, user_data));
    P (offsetof (zmq_poller_event_t, events));
#else
    UNDEF (ZMQ_HAVE_POLLER);
#endif
#ifdef ZMQ_MSG_PROPERTY_ROUTING_ID
    printf ("ZMQ_MSG_PROPERTY_ROUTING_ID %s\n", ZMQ_MSG_PROPERTY_ROUTING_ID);
    printf ("ZMQ_MSG_PROPERTY_SOCKET_TYPE %s\n", ZMQ_MSG_PROPERTY_SOCKET_TYPE);
    printf ("ZMQ_MSG_PROPERTY_USER_ID %s\n", ZMQ_MSG_PROPERTY_USER_ID);
    printf ("ZMQ_MSG_PROPERTY_PEER_ADDRESS %s\n", ZMQ_MSG_PROPERTY_PEER_ADDRESS);
#else
    UNDEF (ZMQ_MSG_PROPERTY_ROUTING_ID);
#endif
#ifdef ZMQ_SERVER
    P (ZMQ_SERVER);
#else
    UNDEF (ZMQ_SERVER);
#endif
#ifdef ZMQ_CLIENT
    P (ZMQ_CLIENT);
#else
    UNDEF (ZMQ_CLIENT);
#endif
#ifdef ZMQ_RADIO
    P (ZMQ_RADIO);
#else
    UNDEF (ZMQ_RADIO);
#endif
#ifdef ZMQ_DISH
    P (ZMQ_DISH);
#else
    UNDEF (ZMQ_DISH);
#endif
#ifdef ZMQ_GATHER
    P (ZMQ_GATHER);
#else
    UNDEF (ZMQ_GATHER);
#endif
#ifdef ZMQ_SCATTER
    P (ZMQ_SCATTER);
#else
    UNDEF (ZMQ_SCATTER);
#endif
#ifdef ZMQ_DGRAM
    P (ZMQ_DGRAM);
#else
    UNDEF (ZMQ_DGRAM);
#endif
#ifdef ZMQ_PEER
    P (ZMQ_PEER);
#else
    UNDEF (ZMQ_PEER);
#endif
#ifdef ZMQ_CHANNEL
    P (ZMQ_CHANNEL);
#else
    UNDEF (ZMQ_CHANNEL);
#endif
#ifdef ZMQ_ZAP_ENFORCE_DOMAIN
    P (ZMQ_ZAP_ENFORCE_DOMAIN);
#else
    UNDEF (ZMQ_ZAP_ENFORCE_DOMAIN);
#endif
#ifdef ZMQ_LOOPBACK_FASTPATH
    P (ZMQ_LOOPBACK_FASTPATH);
#else
    UNDEF (ZMQ_LOOPBACK_FASTPATH);
#endif
#ifdef ZMQ_METADATA
    P (ZMQ_METADATA);
#else
    UNDEF (ZMQ_METADATA);
#endif
#ifdef ZMQ_MULTICAST_LOOP
    P (ZMQ_MULTICAST_LOOP);
#else
    UNDEF (ZMQ_MULTICAST_LOOP);
#endif
#ifdef ZMQ_ROUTER_NOTIFY
    P (ZMQ_ROUTER_NOTIFY);
#else
    UNDEF (ZMQ_ROUTER_NOTIFY);
#endif
#ifdef ZMQ_XPUB_MANUAL_LAST_VALUE
    P (ZMQ_XPUB_MANUAL_LAST_VALUE);
#else
    UNDEF (ZMQ_XPUB_MANUAL_LAST_VALUE);
#endif
#ifdef ZMQ_SOCKS_USERNAME
    P (ZMQ_SOCKS_USERNAME);
#else
    UNDEF (ZMQ_SOCKS_USERNAME);
#endif
#ifdef ZMQ_SOCKS_PASSWORD
    P (ZMQ_SOCKS_PASSWORD);
#else
    UNDEF (ZMQ_SOCKS_PASSWORD);
#endif
#ifdef ZMQ_IN_BATCH_SIZE
    P (ZMQ_IN_BATCH_SIZE);
#else
    UNDEF (ZMQ_IN_BATCH_SIZE);
#endif
#ifdef ZMQ_OUT_BATCH_SIZE
    P (ZMQ_OUT_BATCH_SIZE);
#else
    UNDEF (ZMQ_OUT_BATCH_SIZE);
#endif
#ifdef ZMQ_WSS_KEY_PEM
    P (ZMQ_WSS_KEY_PEM);
#else
    UNDEF (ZMQ_WSS_KEY_PEM);
#endif
#ifdef ZMQ_WSS_CERT_PEM
    P (ZMQ_WSS_CERT_PEM);
#else
    UNDEF (ZMQ_WSS_CERT_PEM);
#endif
#ifdef ZMQ_WSS_TRUST_PEM
    P (ZMQ_WSS_TRUST_PEM);
#else
    UNDEF (ZMQ_WSS_TRUST_PEM);
#endif
#ifdef ZMQ_WSS_HOSTNAME
    P (ZMQ_WSS_HOSTNAME);
#else
    UNDEF (ZMQ_WSS_HOSTNAME);
#endif
#ifdef ZMQ_WSS_TRUST_SYSTEM
    P (ZMQ_WSS_TRUST_SYSTEM);
#else
    UNDEF (ZMQ_WSS_TRUST_SYSTEM);
#endif
#ifdef ZMQ_ONLY_FIRST_SUBSCRIBE
    P (ZMQ_ONLY_FIRST_SUBSCRIBE);
#else
    UNDEF (ZMQ_ONLY_FIRST_SUBSCRIBE);
#endif
#ifdef ZMQ_RECONNECT_STOP
    P (ZMQ_RECONNECT_STOP);
#else
    UNDEF (ZMQ_RECONNECT_STOP);
#endif
#ifdef ZMQ_HELLO_MSG
    P (ZMQ_HELLO_MSG);
#else
    UNDEF (ZMQ_HELLO_MSG);
#endif
#ifdef ZMQ_DISCONNECT_MSG
    P (ZMQ_DISCONNECT_MSG);
#else
    UNDEF (ZMQ_DISCONNECT_MSG);
#endif
#ifdef ZMQ_PRIORITY
    P (ZMQ_PRIORITY);
#else
    UNDEF (ZMQ_PRIORITY);
#endif
#ifdef ZMQ_BUSY_POLL
    P (ZMQ_BUSY_POLL);
#else
    UNDEF (ZMQ_BUSY_POLL);
#endif
#ifdef ZMQ_HICCUP_MSG
    P (ZMQ_HICCUP_MSG);
#else
    UNDEF (ZMQ_HICCUP_MSG);
#endif
#ifdef ZMQ_XSUB_VERBOSE_UNSUBSCRIBE
    P (ZMQ_XSUB_VERBOSE_UNSUBSCRIBE);
#else
    UNDEF (ZMQ_XSUB_VERBOSE_UNSUBSCRIBE);
#endif
#ifdef ZMQ_TOPICS_COUNT
    P (ZMQ_TOPICS_COUNT);
#else
    UNDEF (ZMQ_TOPICS_COUNT);
#endif
#ifdef ZMQ_NORM_MODE
    P (ZMQ_NORM_MODE);
#else
    UNDEF (ZMQ_NORM_MODE);
#endif
#ifdef ZMQ_NORM_UNICAST_NACK
    P (ZMQ_NORM_UNICAST_NACK);
#else
    UNDEF (ZMQ_NORM_UNICAST_NACK);
#endif
#ifdef ZMQ_NORM_BUFFER_SIZE
    P (ZMQ_NORM_BUFFER_SIZE);
#else
    UNDEF (ZMQ_NORM_BUFFER_SIZE);
#endif
#ifdef ZMQ_NORM_SEGMENT_SIZE
    P (ZMQ_NORM_SEGMENT_SIZE);
#else
    UNDEF (ZMQ_NORM_SEGMENT_SIZE);
#endif
#ifdef ZMQ_NORM_BLOCK_SIZE
    P (ZMQ_NORM_BLOCK_SIZE);
#else
    UNDEF (ZMQ_NORM_BLOCK_SIZE);
#endif
#ifdef ZMQ_NORM_NUM_PARITY
    P (ZMQ_NORM_NUM_PARITY);
#else
    UNDEF (ZMQ_NORM_NUM_PARITY);
#endif
#ifdef ZMQ_NORM_NUM_AUTOPARITY
    P (ZMQ_NORM_NUM_AUTOPARITY);
#else
    UNDEF (ZMQ_NORM_NUM_AUTOPARITY);
#endif
#ifdef ZMQ_NORM_PUSH
    P (ZMQ_NORM_PUSH);
#else
    UNDEF (ZMQ_NORM_PUSH);
#endif
#ifdef ZMQ_NORM_FIXED
    P (ZMQ_NORM_FIXED);
#else
    UNDEF (ZMQ_NORM_FIXED);
#endif
#ifdef ZMQ_NORM_CC
    P (ZMQ_NORM_CC);
#else
    UNDEF (ZMQ_NORM_CC);
#endif
#ifdef ZMQ_NORM_CCL
    P (ZMQ_NORM_CCL);
#else
    UNDEF (ZMQ_NORM_CCL);
#endif
#ifdef ZMQ_NORM_CCE
    P (ZMQ_NORM_CCE);
#else
    UNDEF (ZMQ_NORM_CCE);
#endif
#ifdef ZMQ_NORM_CCE_ECNONLY
    P (ZMQ_NORM_CCE_ECNONLY);
#else
    UNDEF (ZMQ_NORM_CCE_ECNONLY);
#endif
#ifdef ZMQ_RECONNECT_STOP_CONN_REFUSED
    P (ZMQ_RECONNECT_STOP_CONN_REFUSED);
#else
    UNDEF (ZMQ_RECONNECT_STOP_CONN_REFUSED);
#endif
#ifdef ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED
    P (ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED);
#else
    UNDEF (ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED);
#endif
#ifdef ZMQ_RECONNECT_STOP_AFTER_DISCONNECT
    P (ZMQ_RECONNECT_STOP_AFTER_DISCONNECT);
#else
    UNDEF (ZMQ_RECONNECT_STOP_AFTER_DISCONNECT);
#endif
#ifdef ZMQ_ZERO_COPY_RECV
    P (ZMQ_ZERO_COPY_RECV);
#else
    UNDEF (ZMQ_ZERO_COPY_RECV);
#endif
#ifdef ZMQ_NOTIFY_CONNECT
    P (ZMQ_NOTIFY_CONNECT);
#else
    UNDEF (ZMQ_NOTIFY_CONNECT);
#endif
#ifdef ZMQ_NOTIFY_DISCONNECT
    P (ZMQ_NOTIFY_DISCONNECT);
#else
    UNDEF (ZMQ_NOTIFY_DISCONNECT);
#endif
#ifdef ZMQ_EVENT_PIPES_STATS
    P (ZMQ_EVENT_PIPES_STATS);
#else
    UNDEF (ZMQ_EVENT_PIPES_STATS);
#endif
#ifdef ZMQ_CURRENT_EVENT_VERSION
    P (ZMQ_CURRENT_EVENT_VERSION);
#else
    UNDEF (ZMQ_CURRENT_EVENT_VERSION);
#endif
#ifdef ZMQ_CURRENT_EVENT_VERSION_DRAFT
    P (ZMQ_CURRENT_EVENT_VERSION_DRAFT);
#else
    UNDEF (ZMQ_CURRENT_EVENT_VERSION_DRAFT);
#endif
#ifdef ZMQ_EVENT_ALL_V1
    P (ZMQ_EVENT_ALL_V1);
#else
    UNDEF (ZMQ_EVENT_ALL_V1);
#endif
#ifdef ZMQ_EVENT_ALL_V2
    P (ZMQ_EVENT_ALL_V2);
#else
    UNDEF (ZMQ_EVENT_ALL_V2);
#endif
#endif /* ZMQ_BUILD_DRAFT_API */
    return 0;
}
