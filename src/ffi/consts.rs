//! Every constant and C type of libzmq 4.3.5's public header, as Rust items.
//!
//! This module is the source `include/zmq.h` is generated from (cbindgen,
//! see `cbindgen.toml` and `tests/header.rs`): each `pub const` here becomes
//! a `#define`, each `#[repr(C)]` type a C definition. The values are facts
//! of the ABI and must never change; the core keeps its own names for them
//! (`options::opt`, `socket::types`, `ctx::opt`, `error`), and the tests at
//! the bottom check that both agree.
//!
//! What cbindgen cannot express lives in the header's hand-written preamble
//! (`cbindgen.toml`): `ZMQ_MAKE_VERSION`/`ZMQ_VERSION`, the function-type
//! typedefs (`zmq_free_fn`, `zmq_timer_fn`, `zmq_thread_fn`), the
//! valueless `ZMQ_HAVE_TIMERS`/`ZMQ_HAVE_POLLER`, and the `errno` fallbacks
//! that only matter where the C library lacks the POSIX names.
//!
//! Draft-API items carry `#[cfg(feature = "draft")]`; cbindgen turns that
//! into `#if defined(ZMQ_BUILD_DRAFT_API)`.

#![allow(non_camel_case_types)]

use std::ffi::{c_int, c_short, c_uchar, c_void};

// ---------------------------------------------------------------- version

/// The libzmq release this library implements.
pub const ZMQ_VERSION_MAJOR: c_int = 4;
pub const ZMQ_VERSION_MINOR: c_int = 3;
pub const ZMQ_VERSION_PATCH: c_int = 5;
/// `ZMQ_MAKE_VERSION(4, 3, 5)`; in C a macro of the preamble, not generated.
pub const ZMQ_VERSION: c_int =
    ZMQ_VERSION_MAJOR * 10000 + ZMQ_VERSION_MINOR * 100 + ZMQ_VERSION_PATCH;

/// Tells programs that this header included `<stdint.h>` itself.
pub const ZMQ_DEFINED_STDINT: c_int = 1;

// ----------------------------------------------------------------- errors

/// Base of libzmq's own error numbers.
pub const ZMQ_HAUSNUMERO: c_int = 156384712;
/// The socket's state machine does not allow this operation now.
pub const EFSM: c_int = ZMQ_HAUSNUMERO + 51;
/// The transport does not fit the socket type.
pub const ENOCOMPATPROTO: c_int = ZMQ_HAUSNUMERO + 52;
/// The context was terminated.
pub const ETERM: c_int = ZMQ_HAUSNUMERO + 53;
/// No I/O thread is available.
pub const EMTHREAD: c_int = ZMQ_HAUSNUMERO + 54;

// ------------------------------------------------------- context options

/// Context options (`zmq_ctx_set`, `zmq_ctx_get`).
pub const ZMQ_IO_THREADS: c_int = 1;
pub const ZMQ_MAX_SOCKETS: c_int = 2;
pub const ZMQ_SOCKET_LIMIT: c_int = 3;
pub const ZMQ_THREAD_PRIORITY: c_int = 3;
pub const ZMQ_THREAD_SCHED_POLICY: c_int = 4;
pub const ZMQ_MAX_MSGSZ: c_int = 5;
pub const ZMQ_MSG_T_SIZE: c_int = 6;
pub const ZMQ_THREAD_AFFINITY_CPU_ADD: c_int = 7;
pub const ZMQ_THREAD_AFFINITY_CPU_REMOVE: c_int = 8;
pub const ZMQ_THREAD_NAME_PREFIX: c_int = 9;

/// Context option defaults.
pub const ZMQ_IO_THREADS_DFLT: c_int = 1;
pub const ZMQ_MAX_SOCKETS_DFLT: c_int = 1023;
pub const ZMQ_THREAD_PRIORITY_DFLT: c_int = -1;
pub const ZMQ_THREAD_SCHED_POLICY_DFLT: c_int = -1;

// ----------------------------------------------------------- socket types

/// Socket types (`zmq_socket`).
pub const ZMQ_PAIR: c_int = 0;
pub const ZMQ_PUB: c_int = 1;
pub const ZMQ_SUB: c_int = 2;
pub const ZMQ_REQ: c_int = 3;
pub const ZMQ_REP: c_int = 4;
pub const ZMQ_DEALER: c_int = 5;
pub const ZMQ_ROUTER: c_int = 6;
pub const ZMQ_PULL: c_int = 7;
pub const ZMQ_PUSH: c_int = 8;
pub const ZMQ_XPUB: c_int = 9;
pub const ZMQ_XSUB: c_int = 10;
pub const ZMQ_STREAM: c_int = 11;

/// Old names of DEALER and ROUTER.
pub const ZMQ_XREQ: c_int = ZMQ_DEALER;
pub const ZMQ_XREP: c_int = ZMQ_ROUTER;

// --------------------------------------------------------- socket options

/// Socket options (`zmq_setsockopt`, `zmq_getsockopt`).
pub const ZMQ_AFFINITY: c_int = 4;
pub const ZMQ_ROUTING_ID: c_int = 5;
pub const ZMQ_SUBSCRIBE: c_int = 6;
pub const ZMQ_UNSUBSCRIBE: c_int = 7;
pub const ZMQ_RATE: c_int = 8;
pub const ZMQ_RECOVERY_IVL: c_int = 9;
pub const ZMQ_SNDBUF: c_int = 11;
pub const ZMQ_RCVBUF: c_int = 12;
pub const ZMQ_RCVMORE: c_int = 13;
pub const ZMQ_FD: c_int = 14;
pub const ZMQ_EVENTS: c_int = 15;
pub const ZMQ_TYPE: c_int = 16;
pub const ZMQ_LINGER: c_int = 17;
pub const ZMQ_RECONNECT_IVL: c_int = 18;
pub const ZMQ_BACKLOG: c_int = 19;
pub const ZMQ_RECONNECT_IVL_MAX: c_int = 21;
pub const ZMQ_MAXMSGSIZE: c_int = 22;
pub const ZMQ_SNDHWM: c_int = 23;
pub const ZMQ_RCVHWM: c_int = 24;
pub const ZMQ_MULTICAST_HOPS: c_int = 25;
pub const ZMQ_RCVTIMEO: c_int = 27;
pub const ZMQ_SNDTIMEO: c_int = 28;
pub const ZMQ_LAST_ENDPOINT: c_int = 32;
pub const ZMQ_ROUTER_MANDATORY: c_int = 33;
pub const ZMQ_TCP_KEEPALIVE: c_int = 34;
pub const ZMQ_TCP_KEEPALIVE_CNT: c_int = 35;
pub const ZMQ_TCP_KEEPALIVE_IDLE: c_int = 36;
pub const ZMQ_TCP_KEEPALIVE_INTVL: c_int = 37;
pub const ZMQ_IMMEDIATE: c_int = 39;
pub const ZMQ_XPUB_VERBOSE: c_int = 40;
pub const ZMQ_ROUTER_RAW: c_int = 41;
pub const ZMQ_IPV6: c_int = 42;
pub const ZMQ_MECHANISM: c_int = 43;
pub const ZMQ_PLAIN_SERVER: c_int = 44;
pub const ZMQ_PLAIN_USERNAME: c_int = 45;
pub const ZMQ_PLAIN_PASSWORD: c_int = 46;
pub const ZMQ_CURVE_SERVER: c_int = 47;
pub const ZMQ_CURVE_PUBLICKEY: c_int = 48;
pub const ZMQ_CURVE_SECRETKEY: c_int = 49;
pub const ZMQ_CURVE_SERVERKEY: c_int = 50;
pub const ZMQ_PROBE_ROUTER: c_int = 51;
pub const ZMQ_REQ_CORRELATE: c_int = 52;
pub const ZMQ_REQ_RELAXED: c_int = 53;
pub const ZMQ_CONFLATE: c_int = 54;
pub const ZMQ_ZAP_DOMAIN: c_int = 55;
pub const ZMQ_ROUTER_HANDOVER: c_int = 56;
pub const ZMQ_TOS: c_int = 57;
pub const ZMQ_CONNECT_ROUTING_ID: c_int = 61;
pub const ZMQ_GSSAPI_SERVER: c_int = 62;
pub const ZMQ_GSSAPI_PRINCIPAL: c_int = 63;
pub const ZMQ_GSSAPI_SERVICE_PRINCIPAL: c_int = 64;
pub const ZMQ_GSSAPI_PLAINTEXT: c_int = 65;
pub const ZMQ_HANDSHAKE_IVL: c_int = 66;
pub const ZMQ_SOCKS_PROXY: c_int = 68;
pub const ZMQ_XPUB_NODROP: c_int = 69;
pub const ZMQ_BLOCKY: c_int = 70;
pub const ZMQ_XPUB_MANUAL: c_int = 71;
pub const ZMQ_XPUB_WELCOME_MSG: c_int = 72;
pub const ZMQ_STREAM_NOTIFY: c_int = 73;
pub const ZMQ_INVERT_MATCHING: c_int = 74;
pub const ZMQ_HEARTBEAT_IVL: c_int = 75;
pub const ZMQ_HEARTBEAT_TTL: c_int = 76;
pub const ZMQ_HEARTBEAT_TIMEOUT: c_int = 77;
pub const ZMQ_XPUB_VERBOSER: c_int = 78;
pub const ZMQ_CONNECT_TIMEOUT: c_int = 79;
pub const ZMQ_TCP_MAXRT: c_int = 80;
pub const ZMQ_THREAD_SAFE: c_int = 81;
pub const ZMQ_MULTICAST_MAXTPDU: c_int = 84;
pub const ZMQ_VMCI_BUFFER_SIZE: c_int = 85;
pub const ZMQ_VMCI_BUFFER_MIN_SIZE: c_int = 86;
pub const ZMQ_VMCI_BUFFER_MAX_SIZE: c_int = 87;
pub const ZMQ_VMCI_CONNECT_TIMEOUT: c_int = 88;
pub const ZMQ_USE_FD: c_int = 89;
pub const ZMQ_GSSAPI_PRINCIPAL_NAMETYPE: c_int = 90;
pub const ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE: c_int = 91;
pub const ZMQ_BINDTODEVICE: c_int = 92;

// ------------------------------------------------------ message properties

/// Message properties (`zmq_msg_get`, `zmq_msg_set`).
pub const ZMQ_MORE: c_int = 1;
pub const ZMQ_SHARED: c_int = 3;

// ------------------------------------------------------------ send flags

/// Send/recv flags.
pub const ZMQ_DONTWAIT: c_int = 1;
pub const ZMQ_SNDMORE: c_int = 2;

// ------------------------------------------------------------- mechanisms

/// Security mechanisms (`ZMQ_MECHANISM`).
pub const ZMQ_NULL: c_int = 0;
pub const ZMQ_PLAIN: c_int = 1;
pub const ZMQ_CURVE: c_int = 2;
pub const ZMQ_GSSAPI: c_int = 3;

/// Longest RADIO/DISH group name.
pub const ZMQ_GROUP_MAX_LENGTH: c_int = 255;

// ------------------------------------------------------- deprecated names

/// Deprecated option names and numbers, still accepted.
pub const ZMQ_IDENTITY: c_int = ZMQ_ROUTING_ID;
pub const ZMQ_CONNECT_RID: c_int = ZMQ_CONNECT_ROUTING_ID;
pub const ZMQ_TCP_ACCEPT_FILTER: c_int = 38;
pub const ZMQ_IPC_FILTER_PID: c_int = 58;
pub const ZMQ_IPC_FILTER_UID: c_int = 59;
pub const ZMQ_IPC_FILTER_GID: c_int = 60;
pub const ZMQ_IPV4ONLY: c_int = 31;
pub const ZMQ_DELAY_ATTACH_ON_CONNECT: c_int = ZMQ_IMMEDIATE;
pub const ZMQ_NOBLOCK: c_int = ZMQ_DONTWAIT;
pub const ZMQ_FAIL_UNROUTABLE: c_int = ZMQ_ROUTER_MANDATORY;
pub const ZMQ_ROUTER_BEHAVIOR: c_int = ZMQ_ROUTER_MANDATORY;

/// Deprecated message property: the file descriptor a message came from.
pub const ZMQ_SRCFD: c_int = 2;

// ------------------------------------------------------ GSSAPI name types

/// Name types of `ZMQ_GSSAPI_*PRINCIPAL_NAMETYPE`.
pub const ZMQ_GSSAPI_NT_HOSTBASED: c_int = 0;
pub const ZMQ_GSSAPI_NT_USER_NAME: c_int = 1;
pub const ZMQ_GSSAPI_NT_KRB5_PRINCIPAL: c_int = 2;

// --------------------------------------------------------- monitor events

/// Socket monitor events (`zmq_socket_monitor`).
pub const ZMQ_EVENT_CONNECTED: c_int = 0x0001;
pub const ZMQ_EVENT_CONNECT_DELAYED: c_int = 0x0002;
pub const ZMQ_EVENT_CONNECT_RETRIED: c_int = 0x0004;
pub const ZMQ_EVENT_LISTENING: c_int = 0x0008;
pub const ZMQ_EVENT_BIND_FAILED: c_int = 0x0010;
pub const ZMQ_EVENT_ACCEPTED: c_int = 0x0020;
pub const ZMQ_EVENT_ACCEPT_FAILED: c_int = 0x0040;
pub const ZMQ_EVENT_CLOSED: c_int = 0x0080;
pub const ZMQ_EVENT_CLOSE_FAILED: c_int = 0x0100;
pub const ZMQ_EVENT_DISCONNECTED: c_int = 0x0200;
pub const ZMQ_EVENT_MONITOR_STOPPED: c_int = 0x0400;
pub const ZMQ_EVENT_ALL: c_int = 0xFFFF;
pub const ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL: c_int = 0x0800;
pub const ZMQ_EVENT_HANDSHAKE_SUCCEEDED: c_int = 0x1000;
pub const ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL: c_int = 0x2000;
pub const ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: c_int = 0x4000;

/// Values of `ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL`.
pub const ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED: c_int = 0x10000000;
pub const ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND: c_int = 0x10000001;
pub const ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE: c_int = 0x10000002;
pub const ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE: c_int = 0x10000003;
pub const ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED: c_int = 0x10000011;
pub const ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE: c_int = 0x10000012;
pub const ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO: c_int = 0x10000013;
pub const ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE: c_int = 0x10000014;
pub const ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR: c_int = 0x10000015;
pub const ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY: c_int = 0x10000016;
pub const ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME: c_int = 0x10000017;
pub const ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA: c_int = 0x10000018;
pub const ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC: c_int = 0x11000001;
pub const ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH: c_int = 0x11000002;
pub const ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED: c_int = 0x20000000;
pub const ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY: c_int = 0x20000001;
pub const ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID: c_int = 0x20000002;
pub const ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION: c_int = 0x20000003;
pub const ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE: c_int = 0x20000004;
pub const ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA: c_int = 0x20000005;
pub const ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED: c_int = 0x30000000;

// ---------------------------------------------------------------- polling

/// `zmq_pollitem_t` event bits.
pub const ZMQ_POLLIN: c_int = 1;
pub const ZMQ_POLLOUT: c_int = 2;
pub const ZMQ_POLLERR: c_int = 4;
pub const ZMQ_POLLPRI: c_int = 8;

/// Poll items `zmq_poll` handles without allocating.
pub const ZMQ_POLLITEMS_DFLT: c_int = 16;

// ------------------------------------------------------ capabilities, devices

/// `zmq_has` exists.
pub const ZMQ_HAS_CAPABILITIES: c_int = 1;

/// Device types of the deprecated `zmq_device`.
pub const ZMQ_STREAMER: c_int = 1;
pub const ZMQ_FORWARDER: c_int = 2;
pub const ZMQ_QUEUE: c_int = 3;

// ------------------------------------------------------------------ types

/// A socket's file descriptor as `ZMQ_FD` and `zmq_pollitem_t` carry it.
pub type zmq_fd_t = c_int;

/// A message: 64 opaque bytes, pointer-aligned, moved by `memcpy`.
///
/// The caller owns the storage; what lives inside is `msg::Msg`.
///
/// cbindgen:field-names=[_]
#[repr(C, align(8))]
pub struct zmq_msg_t(pub [c_uchar; 64]);

/// One entry of `zmq_poll`'s array (`fd` is used when `socket` is NULL).
#[repr(C)]
pub struct zmq_pollitem_t {
    pub socket: *mut c_void,
    pub fd: zmq_fd_t,
    pub events: c_short,
    pub revents: c_short,
}

// The callbacks. In C each is a function *type* (`typedef void
// (zmq_free_fn)(void *, void *)`), used as `zmq_free_fn *`; cbindgen can only
// emit pointer typedefs, so the header's preamble declares them by hand and
// cbindgen.toml excludes these three. Here each is the nullable pointer to
// one: an exported function takes `ffn: zmq_free_fn` and receives NULL
// soundly, and cbindgen prints the parameter as `zmq_free_fn ffn`, which C
// adjusts to `zmq_free_fn *ffn`: the same prototype as libzmq's.

/// Frees the buffer given to `zmq_msg_init_data`; NULL frees nothing.
pub type zmq_free_fn = Option<unsafe extern "C" fn(data: *mut c_void, hint: *mut c_void)>;

/// A timer's handler (`zmq_timers_add`).
pub type zmq_timer_fn = Option<unsafe extern "C" fn(timer_id: c_int, arg: *mut c_void)>;

/// A thread's body (`zmq_threadstart`).
pub type zmq_thread_fn = Option<unsafe extern "C" fn(arg: *mut c_void)>;

// -------------------------------------------------------------- draft API

/// Draft socket types.
#[cfg(feature = "draft")]
pub const ZMQ_SERVER: c_int = 12;
#[cfg(feature = "draft")]
pub const ZMQ_CLIENT: c_int = 13;
#[cfg(feature = "draft")]
pub const ZMQ_RADIO: c_int = 14;
#[cfg(feature = "draft")]
pub const ZMQ_DISH: c_int = 15;
#[cfg(feature = "draft")]
pub const ZMQ_GATHER: c_int = 16;
#[cfg(feature = "draft")]
pub const ZMQ_SCATTER: c_int = 17;
#[cfg(feature = "draft")]
pub const ZMQ_DGRAM: c_int = 18;
#[cfg(feature = "draft")]
pub const ZMQ_PEER: c_int = 19;
#[cfg(feature = "draft")]
pub const ZMQ_CHANNEL: c_int = 20;

/// Draft socket options.
#[cfg(feature = "draft")]
pub const ZMQ_ZAP_ENFORCE_DOMAIN: c_int = 93;
#[cfg(feature = "draft")]
pub const ZMQ_LOOPBACK_FASTPATH: c_int = 94;
#[cfg(feature = "draft")]
pub const ZMQ_METADATA: c_int = 95;
#[cfg(feature = "draft")]
pub const ZMQ_MULTICAST_LOOP: c_int = 96;
#[cfg(feature = "draft")]
pub const ZMQ_ROUTER_NOTIFY: c_int = 97;
#[cfg(feature = "draft")]
pub const ZMQ_XPUB_MANUAL_LAST_VALUE: c_int = 98;
#[cfg(feature = "draft")]
pub const ZMQ_SOCKS_USERNAME: c_int = 99;
#[cfg(feature = "draft")]
pub const ZMQ_SOCKS_PASSWORD: c_int = 100;
#[cfg(feature = "draft")]
pub const ZMQ_IN_BATCH_SIZE: c_int = 101;
#[cfg(feature = "draft")]
pub const ZMQ_OUT_BATCH_SIZE: c_int = 102;
#[cfg(feature = "draft")]
pub const ZMQ_WSS_KEY_PEM: c_int = 103;
#[cfg(feature = "draft")]
pub const ZMQ_WSS_CERT_PEM: c_int = 104;
#[cfg(feature = "draft")]
pub const ZMQ_WSS_TRUST_PEM: c_int = 105;
#[cfg(feature = "draft")]
pub const ZMQ_WSS_HOSTNAME: c_int = 106;
#[cfg(feature = "draft")]
pub const ZMQ_WSS_TRUST_SYSTEM: c_int = 107;
#[cfg(feature = "draft")]
pub const ZMQ_ONLY_FIRST_SUBSCRIBE: c_int = 108;
#[cfg(feature = "draft")]
pub const ZMQ_RECONNECT_STOP: c_int = 109;
#[cfg(feature = "draft")]
pub const ZMQ_HELLO_MSG: c_int = 110;
#[cfg(feature = "draft")]
pub const ZMQ_DISCONNECT_MSG: c_int = 111;
#[cfg(feature = "draft")]
pub const ZMQ_PRIORITY: c_int = 112;
#[cfg(feature = "draft")]
pub const ZMQ_BUSY_POLL: c_int = 113;
#[cfg(feature = "draft")]
pub const ZMQ_HICCUP_MSG: c_int = 114;
#[cfg(feature = "draft")]
pub const ZMQ_XSUB_VERBOSE_UNSUBSCRIBE: c_int = 115;
#[cfg(feature = "draft")]
pub const ZMQ_TOPICS_COUNT: c_int = 116;
#[cfg(feature = "draft")]
pub const ZMQ_NORM_MODE: c_int = 117;
#[cfg(feature = "draft")]
pub const ZMQ_NORM_UNICAST_NACK: c_int = 118;
#[cfg(feature = "draft")]
pub const ZMQ_NORM_BUFFER_SIZE: c_int = 119;
#[cfg(feature = "draft")]
pub const ZMQ_NORM_SEGMENT_SIZE: c_int = 120;
#[cfg(feature = "draft")]
pub const ZMQ_NORM_BLOCK_SIZE: c_int = 121;
#[cfg(feature = "draft")]
pub const ZMQ_NORM_NUM_PARITY: c_int = 122;
#[cfg(feature = "draft")]
pub const ZMQ_NORM_NUM_AUTOPARITY: c_int = 123;
#[cfg(feature = "draft")]
pub const ZMQ_NORM_PUSH: c_int = 124;

/// `ZMQ_NORM_MODE` values.
#[cfg(feature = "draft")]
pub const ZMQ_NORM_FIXED: c_int = 0;
#[cfg(feature = "draft")]
pub const ZMQ_NORM_CC: c_int = 1;
#[cfg(feature = "draft")]
pub const ZMQ_NORM_CCL: c_int = 2;
#[cfg(feature = "draft")]
pub const ZMQ_NORM_CCE: c_int = 3;
#[cfg(feature = "draft")]
pub const ZMQ_NORM_CCE_ECNONLY: c_int = 4;

/// `ZMQ_RECONNECT_STOP` bits (4.3.5 values).
#[cfg(feature = "draft")]
pub const ZMQ_RECONNECT_STOP_CONN_REFUSED: c_int = 0x1;
#[cfg(feature = "draft")]
pub const ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED: c_int = 0x2;
#[cfg(feature = "draft")]
pub const ZMQ_RECONNECT_STOP_AFTER_DISCONNECT: c_int = 0x4;

/// Draft context option.
#[cfg(feature = "draft")]
pub const ZMQ_ZERO_COPY_RECV: c_int = 10;

/// `ZMQ_ROUTER_NOTIFY` bits.
#[cfg(feature = "draft")]
pub const ZMQ_NOTIFY_CONNECT: c_int = 1;
#[cfg(feature = "draft")]
pub const ZMQ_NOTIFY_DISCONNECT: c_int = 2;

/// Draft monitor events and event-format versions.
#[cfg(feature = "draft")]
pub const ZMQ_EVENT_PIPES_STATS: c_int = 0x10000;
#[cfg(feature = "draft")]
pub const ZMQ_CURRENT_EVENT_VERSION: c_int = 1;
#[cfg(feature = "draft")]
pub const ZMQ_CURRENT_EVENT_VERSION_DRAFT: c_int = 2;
#[cfg(feature = "draft")]
pub const ZMQ_EVENT_ALL_V1: c_int = ZMQ_EVENT_ALL;
#[cfg(feature = "draft")]
pub const ZMQ_EVENT_ALL_V2: c_int = ZMQ_EVENT_ALL_V1 | ZMQ_EVENT_PIPES_STATS;

/// One ready entry of the draft `zmq_poller_wait*`.
#[cfg(feature = "draft")]
#[repr(C)]
pub struct zmq_poller_event_t {
    pub socket: *mut c_void,
    pub fd: zmq_fd_t,
    pub user_data: *mut c_void,
    pub events: c_short,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{align_of, offset_of, size_of};

    #[test]
    fn version_is_4_3_5() {
        assert_eq!(ZMQ_VERSION, 40305);
    }

    #[test]
    fn event_numbers_agree_with_the_core() {
        // zmq.h's numbers here (cbindgen writes them into the header) and
        // the ones the I/O layer emits (`io::owner::event`) must not drift.
        use crate::io::owner::event as e;
        let pairs = [
            (ZMQ_EVENT_CONNECTED, e::CONNECTED),
            (ZMQ_EVENT_CONNECT_DELAYED, e::CONNECT_DELAYED),
            (ZMQ_EVENT_CONNECT_RETRIED, e::CONNECT_RETRIED),
            (ZMQ_EVENT_LISTENING, e::LISTENING),
            (ZMQ_EVENT_BIND_FAILED, e::BIND_FAILED),
            (ZMQ_EVENT_ACCEPTED, e::ACCEPTED),
            (ZMQ_EVENT_ACCEPT_FAILED, e::ACCEPT_FAILED),
            (ZMQ_EVENT_CLOSED, e::CLOSED),
            (ZMQ_EVENT_CLOSE_FAILED, e::CLOSE_FAILED),
            (ZMQ_EVENT_DISCONNECTED, e::DISCONNECTED),
            (ZMQ_EVENT_MONITOR_STOPPED, e::MONITOR_STOPPED),
            (
                ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL,
                e::HANDSHAKE_FAILED_NO_DETAIL,
            ),
            (ZMQ_EVENT_HANDSHAKE_SUCCEEDED, e::HANDSHAKE_SUCCEEDED),
            (
                ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
                e::HANDSHAKE_FAILED_PROTOCOL,
            ),
            (ZMQ_EVENT_HANDSHAKE_FAILED_AUTH, e::HANDSHAKE_FAILED_AUTH),
        ];
        for (c, core) in pairs {
            assert_eq!(c, c_int::from(core), "{c:#x}");
        }
    }

    #[test]
    fn error_numbers_agree_with_the_core() {
        assert_eq!(ZMQ_HAUSNUMERO, crate::error::HAUSNUMERO);
        assert_eq!(EFSM, crate::error::EFSM);
        assert_eq!(ENOCOMPATPROTO, crate::error::ENOCOMPATPROTO);
        assert_eq!(ETERM, crate::error::ETERM);
        assert_eq!(EMTHREAD, crate::error::EMTHREAD);
    }

    #[test]
    fn socket_types_agree_with_the_core() {
        use crate::socket::types as t;
        let pairs = [
            (ZMQ_PAIR, t::PAIR),
            (ZMQ_PUB, t::PUB),
            (ZMQ_SUB, t::SUB),
            (ZMQ_REQ, t::REQ),
            (ZMQ_REP, t::REP),
            (ZMQ_DEALER, t::DEALER),
            (ZMQ_ROUTER, t::ROUTER),
            (ZMQ_PULL, t::PULL),
            (ZMQ_PUSH, t::PUSH),
            (ZMQ_XPUB, t::XPUB),
            (ZMQ_XSUB, t::XSUB),
            (ZMQ_STREAM, t::STREAM),
        ];
        for (c, core) in pairs {
            assert_eq!(c, core);
        }
        assert_eq!(ZMQ_DONTWAIT, crate::socket::DONTWAIT);
        assert_eq!(ZMQ_SNDMORE, crate::socket::SNDMORE);
        assert_eq!(ZMQ_POLLIN, crate::socket::POLLIN as c_int);
        assert_eq!(ZMQ_POLLOUT, crate::socket::POLLOUT as c_int);
    }

    #[test]
    fn context_options_agree_with_the_core() {
        use crate::ctx::opt as o;
        let pairs = [
            (ZMQ_IO_THREADS, o::IO_THREADS),
            (ZMQ_MAX_SOCKETS, o::MAX_SOCKETS),
            (ZMQ_SOCKET_LIMIT, o::SOCKET_LIMIT),
            (ZMQ_THREAD_PRIORITY, o::THREAD_PRIORITY),
            (ZMQ_THREAD_SCHED_POLICY, o::THREAD_SCHED_POLICY),
            (ZMQ_MAX_MSGSZ, o::MAX_MSGSZ),
            (ZMQ_MSG_T_SIZE, o::MSG_T_SIZE),
            (ZMQ_THREAD_AFFINITY_CPU_ADD, o::THREAD_AFFINITY_CPU_ADD),
            (
                ZMQ_THREAD_AFFINITY_CPU_REMOVE,
                o::THREAD_AFFINITY_CPU_REMOVE,
            ),
            (ZMQ_THREAD_NAME_PREFIX, o::THREAD_NAME_PREFIX),
            (ZMQ_IPV6, o::IPV6),
            (ZMQ_BLOCKY, o::BLOCKY),
        ];
        for (c, core) in pairs {
            assert_eq!(c, core);
        }
        assert_eq!(ZMQ_IO_THREADS_DFLT, crate::ctx::IO_THREADS_DFLT);
        assert_eq!(ZMQ_MAX_SOCKETS_DFLT, crate::ctx::MAX_SOCKETS_DFLT);
    }

    #[test]
    fn socket_options_agree_with_the_core() {
        use crate::options::opt as o;
        let pairs = [
            (ZMQ_AFFINITY, o::AFFINITY),
            (ZMQ_ROUTING_ID, o::ROUTING_ID),
            (ZMQ_SUBSCRIBE, o::SUBSCRIBE),
            (ZMQ_UNSUBSCRIBE, o::UNSUBSCRIBE),
            (ZMQ_RATE, o::RATE),
            (ZMQ_RECOVERY_IVL, o::RECOVERY_IVL),
            (ZMQ_SNDBUF, o::SNDBUF),
            (ZMQ_RCVBUF, o::RCVBUF),
            (ZMQ_RCVMORE, o::RCVMORE),
            (ZMQ_FD, o::FD),
            (ZMQ_EVENTS, o::EVENTS),
            (ZMQ_TYPE, o::TYPE),
            (ZMQ_LINGER, o::LINGER),
            (ZMQ_RECONNECT_IVL, o::RECONNECT_IVL),
            (ZMQ_BACKLOG, o::BACKLOG),
            (ZMQ_RECONNECT_IVL_MAX, o::RECONNECT_IVL_MAX),
            (ZMQ_MAXMSGSIZE, o::MAXMSGSIZE),
            (ZMQ_SNDHWM, o::SNDHWM),
            (ZMQ_RCVHWM, o::RCVHWM),
            (ZMQ_MULTICAST_HOPS, o::MULTICAST_HOPS),
            (ZMQ_RCVTIMEO, o::RCVTIMEO),
            (ZMQ_SNDTIMEO, o::SNDTIMEO),
            (ZMQ_IPV4ONLY, o::IPV4ONLY),
            (ZMQ_LAST_ENDPOINT, o::LAST_ENDPOINT),
            (ZMQ_ROUTER_MANDATORY, o::ROUTER_MANDATORY),
            (ZMQ_TCP_KEEPALIVE, o::TCP_KEEPALIVE),
            (ZMQ_TCP_KEEPALIVE_CNT, o::TCP_KEEPALIVE_CNT),
            (ZMQ_TCP_KEEPALIVE_IDLE, o::TCP_KEEPALIVE_IDLE),
            (ZMQ_TCP_KEEPALIVE_INTVL, o::TCP_KEEPALIVE_INTVL),
            (ZMQ_TCP_ACCEPT_FILTER, o::TCP_ACCEPT_FILTER),
            (ZMQ_IMMEDIATE, o::IMMEDIATE),
            (ZMQ_XPUB_VERBOSE, o::XPUB_VERBOSE),
            (ZMQ_ROUTER_RAW, o::ROUTER_RAW),
            (ZMQ_IPV6, o::IPV6),
            (ZMQ_MECHANISM, o::MECHANISM),
            (ZMQ_PLAIN_SERVER, o::PLAIN_SERVER),
            (ZMQ_PLAIN_USERNAME, o::PLAIN_USERNAME),
            (ZMQ_PLAIN_PASSWORD, o::PLAIN_PASSWORD),
            (ZMQ_CURVE_SERVER, o::CURVE_SERVER),
            (ZMQ_CURVE_PUBLICKEY, o::CURVE_PUBLICKEY),
            (ZMQ_CURVE_SECRETKEY, o::CURVE_SECRETKEY),
            (ZMQ_CURVE_SERVERKEY, o::CURVE_SERVERKEY),
            (ZMQ_PROBE_ROUTER, o::PROBE_ROUTER),
            (ZMQ_REQ_CORRELATE, o::REQ_CORRELATE),
            (ZMQ_REQ_RELAXED, o::REQ_RELAXED),
            (ZMQ_CONFLATE, o::CONFLATE),
            (ZMQ_ZAP_DOMAIN, o::ZAP_DOMAIN),
            (ZMQ_ROUTER_HANDOVER, o::ROUTER_HANDOVER),
            (ZMQ_TOS, o::TOS),
            (ZMQ_IPC_FILTER_PID, o::IPC_FILTER_PID),
            (ZMQ_IPC_FILTER_UID, o::IPC_FILTER_UID),
            (ZMQ_IPC_FILTER_GID, o::IPC_FILTER_GID),
            (ZMQ_CONNECT_ROUTING_ID, o::CONNECT_ROUTING_ID),
            (ZMQ_GSSAPI_SERVER, o::GSSAPI_SERVER),
            (ZMQ_GSSAPI_PRINCIPAL, o::GSSAPI_PRINCIPAL),
            (ZMQ_GSSAPI_SERVICE_PRINCIPAL, o::GSSAPI_SERVICE_PRINCIPAL),
            (ZMQ_GSSAPI_PLAINTEXT, o::GSSAPI_PLAINTEXT),
            (ZMQ_HANDSHAKE_IVL, o::HANDSHAKE_IVL),
            (ZMQ_SOCKS_PROXY, o::SOCKS_PROXY),
            (ZMQ_XPUB_NODROP, o::XPUB_NODROP),
            (ZMQ_XPUB_MANUAL, o::XPUB_MANUAL),
            (ZMQ_XPUB_WELCOME_MSG, o::XPUB_WELCOME_MSG),
            (ZMQ_STREAM_NOTIFY, o::STREAM_NOTIFY),
            (ZMQ_INVERT_MATCHING, o::INVERT_MATCHING),
            (ZMQ_HEARTBEAT_IVL, o::HEARTBEAT_IVL),
            (ZMQ_HEARTBEAT_TTL, o::HEARTBEAT_TTL),
            (ZMQ_HEARTBEAT_TIMEOUT, o::HEARTBEAT_TIMEOUT),
            (ZMQ_XPUB_VERBOSER, o::XPUB_VERBOSER),
            (ZMQ_CONNECT_TIMEOUT, o::CONNECT_TIMEOUT),
            (ZMQ_TCP_MAXRT, o::TCP_MAXRT),
            (ZMQ_THREAD_SAFE, o::THREAD_SAFE),
            (ZMQ_MULTICAST_MAXTPDU, o::MULTICAST_MAXTPDU),
            (ZMQ_VMCI_BUFFER_SIZE, o::VMCI_BUFFER_SIZE),
            (ZMQ_VMCI_BUFFER_MIN_SIZE, o::VMCI_BUFFER_MIN_SIZE),
            (ZMQ_VMCI_BUFFER_MAX_SIZE, o::VMCI_BUFFER_MAX_SIZE),
            (ZMQ_VMCI_CONNECT_TIMEOUT, o::VMCI_CONNECT_TIMEOUT),
            (ZMQ_USE_FD, o::USE_FD),
            (ZMQ_GSSAPI_PRINCIPAL_NAMETYPE, o::GSSAPI_PRINCIPAL_NAMETYPE),
            (
                ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE,
                o::GSSAPI_SERVICE_PRINCIPAL_NAMETYPE,
            ),
            (ZMQ_BINDTODEVICE, o::BINDTODEVICE),
        ];
        for (c, core) in pairs {
            assert_eq!(c, core);
        }
    }

    #[test]
    #[cfg(target_pointer_width = "64")]
    fn c_types_have_libzmq_layouts() {
        assert_eq!(size_of::<zmq_msg_t>(), 64);
        assert_eq!(align_of::<zmq_msg_t>(), size_of::<*mut c_void>());
        assert_eq!(size_of::<zmq_pollitem_t>(), 16);
        assert_eq!(align_of::<zmq_pollitem_t>(), 8);
        assert_eq!(offset_of!(zmq_pollitem_t, socket), 0);
        assert_eq!(offset_of!(zmq_pollitem_t, fd), 8);
        assert_eq!(offset_of!(zmq_pollitem_t, events), 12);
        assert_eq!(offset_of!(zmq_pollitem_t, revents), 14);
    }
}
