/* Draft-API cases (draft_*.c): include this instead of testutil.h.
 *
 * A stable libzmq (Debian's) neither exports nor links the draft functions,
 * so a case must still build and run there: the header's draft section is
 * switched on, every draft function is called through dlsym, and
 * require_draft() exits 77 (skip) with a SKIP line when the library under
 * test has no draft API. Only the library's exports are used, never a
 * declaration that the reference header may lack. */
#ifndef COMPAT_DRAFTUTIL_H
#define COMPAT_DRAFTUTIL_H
#define ZMQ_BUILD_DRAFT_API 1
#include "testutil.h"
#include <dlfcn.h>

/* Draft socket options libzmq 4.3.5 added after the 4.3.4 header the cases
 * build against (numbers from 4.3.5's zmq.h). */
#ifndef ZMQ_BUSY_POLL
#define ZMQ_BUSY_POLL 113
#endif
#ifndef ZMQ_HICCUP_MSG
#define ZMQ_HICCUP_MSG 114
#endif
#ifndef ZMQ_XSUB_VERBOSE_UNSUBSCRIBE
#define ZMQ_XSUB_VERBOSE_UNSUBSCRIBE 115
#endif

static inline void *draft_sym (const char *name)
{
    void *p = dlsym (RTLD_DEFAULT, name);
    if (!p)
        FAIL ("zmq_has(\"draft\") is 1 but %s is not exported", name);
    return p;
}

static inline void require_draft (void)
{
    if (!zmq_has ("draft")) {
        printf ("SKIP: needs a libzmq built with the draft API "
                "(zmq_has(\"draft\") is 0)\n");
        exit (SKIP_EXIT);
    }
}

/* Each draft function through the library's export, typed by its
 * declaration (__typeof__ does not reference the symbol). */
#define DRAFT_FN(name) ((__typeof__ (&name)) draft_sym (#name))
#define zmq_ctx_set_ext DRAFT_FN (zmq_ctx_set_ext)
#define zmq_ctx_get_ext DRAFT_FN (zmq_ctx_get_ext)
#define zmq_join DRAFT_FN (zmq_join)
#define zmq_leave DRAFT_FN (zmq_leave)
#define zmq_connect_peer DRAFT_FN (zmq_connect_peer)
#define zmq_msg_init_buffer DRAFT_FN (zmq_msg_init_buffer)
#define zmq_msg_set_routing_id DRAFT_FN (zmq_msg_set_routing_id)
#define zmq_msg_routing_id DRAFT_FN (zmq_msg_routing_id)
#define zmq_msg_set_group DRAFT_FN (zmq_msg_set_group)
#define zmq_msg_group DRAFT_FN (zmq_msg_group)
#define zmq_poller_new DRAFT_FN (zmq_poller_new)
#define zmq_poller_destroy DRAFT_FN (zmq_poller_destroy)
#define zmq_poller_size DRAFT_FN (zmq_poller_size)
#define zmq_poller_add DRAFT_FN (zmq_poller_add)
#define zmq_poller_modify DRAFT_FN (zmq_poller_modify)
#define zmq_poller_remove DRAFT_FN (zmq_poller_remove)
#define zmq_poller_add_fd DRAFT_FN (zmq_poller_add_fd)
#define zmq_poller_modify_fd DRAFT_FN (zmq_poller_modify_fd)
#define zmq_poller_remove_fd DRAFT_FN (zmq_poller_remove_fd)
#define zmq_poller_wait DRAFT_FN (zmq_poller_wait)
#define zmq_poller_wait_all DRAFT_FN (zmq_poller_wait_all)
#define zmq_poller_fd DRAFT_FN (zmq_poller_fd)
#define zmq_socket_get_peer_state DRAFT_FN (zmq_socket_get_peer_state)
#define zmq_socket_monitor_versioned DRAFT_FN (zmq_socket_monitor_versioned)
#define zmq_socket_monitor_pipes_stats DRAFT_FN (zmq_socket_monitor_pipes_stats)

#endif
