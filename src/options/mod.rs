//! Every socket option of libzmq 4.3.5, each stated once.
//!
//! The `options!` table below is the one source: each line names a field of
//! `Options`, its default, and — when an option reads or writes it — the
//! option number (`opt`) and its kind (`kind.rs`: the encoding and the
//! validation rule). The table generates the struct, `Options::new` and the
//! lookup `Options::set`/`Options::get` use. Options that touch several
//! fields (the security mechanism, `ZMQ_IPV4ONLY`, ...) are the few
//! hand-written entries in `COUPLED`. Socket types add their own options on
//! top (see `socket/`).

#![forbid(unsafe_code)]

mod kind;
pub mod opt;

use crate::error::{Error, Result};
use bytes::Bytes;
use kind::*;
pub use kind::{as_bool, as_int};

/// `ZMQ_RECONNECT_STOP` bits.
pub mod reconnect_stop {
    /// A refused tcp connect ends the connecter.
    pub const CONN_REFUSED: i32 = 1;
    /// A failed handshake ends the connecter.
    pub const HANDSHAKE_FAILED: i32 = 2;
    /// After a `zmq_disconnect`, a refused ipc connect ends the connecter.
    pub const AFTER_DISCONNECT: i32 = 4;
}

/// Security mechanism numbers (`ZMQ_MECHANISM`).
pub const MECH_NULL: i32 = 0;
pub const MECH_PLAIN: i32 = 1;
pub const MECH_CURVE: i32 = 2;

/// A value read back by `getsockopt`, encoded by the boundary.
#[derive(Debug, Clone, PartialEq)]
pub enum OptVal {
    Int(i32),
    Int64(i64),
    Uint64(u64),
    /// Binary value: copied as is.
    Bin(Bytes),
    /// String value: copied with a trailing NUL.
    Str(String),
    /// Bytes kept as given (libzmq's std::string): copied with a NUL.
    Text(Bytes),
    /// A socket fd.
    Fd(i32),
    /// A CURVE key: 32 binary bytes into a 32-byte buffer, Z85 text and a
    /// NUL into a 41-byte one (libzmq `do_getsockopt_curve_key`).
    CurveKey([u8; 32]),
}

type Setter = fn(&mut Options, &[u8]) -> Result<()>;
type Getter = fn(&Options) -> Option<OptVal>;

/// One option: its number and how it sets and reads `Options`.
struct Spec {
    num: i32,
    set: Option<Setter>,
    get: Option<Getter>,
}

/// Generates `Options`, `Options::new` and `TABLE` from one line per field:
/// `field: Type = default => OPTION as kind;` (the option part only when an
/// option maps onto the field alone).
macro_rules! options {
    (
        |$st:ident, $ipv6:ident, $blocky:ident|
        $( $(#[$doc:meta])* $field:ident : $ty:ty = $default:expr $(=> $opt:ident as $kind:expr)? ; )*
    ) => {
        /// A socket's options. Cloned into each session as a snapshot, like libzmq.
        #[derive(Debug, Clone)]
        pub struct Options {
            $( $(#[$doc])* pub $field: $ty, )*
        }

        impl Options {
            /// libzmq's defaults; `blocky` is the context's `ZMQ_BLOCKY`.
            pub fn new($st: i32, $ipv6: bool, $blocky: bool) -> Options {
                Options { $( $field: $default, )* }
            }
        }

        /// The options that map onto one field each.
        const TABLE: &[Spec] = &[
            $( $( Spec {
                num: opt::$opt,
                set: Some(|o: &mut Options, v: &[u8]| $kind.set(&mut o.$field, v)),
                get: Some(|o: &Options| $kind.get(&o.$field)),
            }, )? )*
        ];
    };
}

options! {
    |socket_type, ipv6, blocky|
    socket_type: i32 = socket_type;
    affinity: u64 = 0 => AFFINITY as Uint64;
    routing_id: Bytes = Bytes::new() => ROUTING_ID as Blob { min: 1, max: 255 };
    rate: i32 = 100 => RATE as Int { min: 1 };
    recovery_ivl: i32 = 10000 => RECOVERY_IVL as Int { min: 0 };
    sndbuf: i32 = -1 => SNDBUF as Int { min: -1 };
    rcvbuf: i32 = -1 => RCVBUF as Int { min: -1 };
    linger: i32 = if blocky { -1 } else { 0 } => LINGER as Int { min: -1 };
    reconnect_ivl: i32 = 100 => RECONNECT_IVL as Int { min: -1 };
    reconnect_ivl_max: i32 = 0 => RECONNECT_IVL_MAX as Int { min: 0 };
    backlog: i32 = 100 => BACKLOG as Int { min: 0 };
    maxmsgsize: i64 = -1 => MAXMSGSIZE as Int64;
    sndhwm: i32 = 1000 => SNDHWM as Int { min: 0 };
    rcvhwm: i32 = 1000 => RCVHWM as Int { min: 0 };
    multicast_hops: i32 = 1 => MULTICAST_HOPS as Int { min: 1 };
    rcvtimeo: i32 = -1 => RCVTIMEO as Int { min: -1 };
    sndtimeo: i32 = -1 => SNDTIMEO as Int { min: -1 };
    /// Also `ZMQ_IPV4ONLY`, inverted (`COUPLED`).
    ipv6: bool = ipv6 => IPV6 as Bool;
    immediate: bool = false => IMMEDIATE as Bool;
    tcp_keepalive: i32 = -1 => TCP_KEEPALIVE as IntIn(-1, 1);
    tcp_keepalive_cnt: i32 = -1 => TCP_KEEPALIVE_CNT as Keepalive;
    tcp_keepalive_idle: i32 = -1 => TCP_KEEPALIVE_IDLE as Keepalive;
    tcp_keepalive_intvl: i32 = -1 => TCP_KEEPALIVE_INTVL as Keepalive;
    tcp_accept_filters: Vec<String> = Vec::new() => TCP_ACCEPT_FILTER as AcceptFilter;
    /// Set through PLAIN_*/CURVE_* (`COUPLED`).
    mechanism: i32 = MECH_NULL;
    as_server: bool = false;
    plain_username: Bytes = Bytes::new();
    plain_password: Bytes = Bytes::new();
    curve_public: Option<[u8; 32]> = None;
    curve_secret: Option<[u8; 32]> = None;
    curve_server: Option<[u8; 32]> = None;
    zap_domain: Bytes = Bytes::new() => ZAP_DOMAIN as Text { max: 255 };
    zap_enforce_domain: bool = false => ZAP_ENFORCE_DOMAIN as Flag;
    conflate: bool = false => CONFLATE as Bool;
    invert_matching: bool = false => INVERT_MATCHING as Flag;
    tos: i32 = 0 => TOS as Int { min: 0 };
    /// ROUTER and STREAM only (`COUPLED`).
    connect_routing_id: Option<Bytes> = None;
    handshake_ivl: i32 = 30000 => HANDSHAKE_IVL as Int { min: 0 };
    socks_proxy: String = String::new() => SOCKS_PROXY as Str { raw_max: usize::MAX, text_max: usize::MAX };
    socks_username: String = String::new() => SOCKS_USERNAME as Str { raw_max: 255, text_max: usize::MAX };
    socks_password: String = String::new() => SOCKS_PASSWORD as Str { raw_max: 255, text_max: usize::MAX };
    heartbeat_ivl: i32 = 0 => HEARTBEAT_IVL as Int { min: 0 };
    /// In deciseconds, as it travels in PING.
    heartbeat_ttl: u16 = 0 => HEARTBEAT_TTL as Deciseconds;
    heartbeat_timeout: i32 = -1 => HEARTBEAT_TIMEOUT as Int { min: 0 };
    connect_timeout: i32 = 0 => CONNECT_TIMEOUT as Int { min: 0 };
    tcp_maxrt: i32 = 0 => TCP_MAXRT as Int { min: 0 };
    multicast_maxtpdu: i32 = 1500 => MULTICAST_MAXTPDU as Int { min: 1 };
    multicast_loop: bool = true => MULTICAST_LOOP as Flag;
    use_fd: i32 = -1 => USE_FD as Int { min: -1 };
    bindtodevice: String = String::new() => BINDTODEVICE as Str { raw_max: 16, text_max: 15 };
    ipc_filter_pid: Vec<i32> = Vec::new() => IPC_FILTER_PID as Append;
    ipc_filter_uid: Vec<u32> = Vec::new() => IPC_FILTER_UID as Append;
    ipc_filter_gid: Vec<u32> = Vec::new() => IPC_FILTER_GID as Append;
    app_metadata: Vec<(String, Bytes)> = Vec::new() => METADATA as Metadata;
    loopback_fastpath: bool = false => LOOPBACK_FASTPATH as Flag;
    /// `reconnect_stop` bits; libzmq takes any int.
    reconnect_stop: i32 = 0 => RECONNECT_STOP as Int { min: i32::MIN };
    /// ROUTER/STREAM etc. read the peer's routing id (set by the socket type).
    recv_routing_id: bool = false;
    /// XPUB/XSUB-style sockets that forward subscriptions as messages.
    raw_socket: bool = false;
    // Draft options (`DRAFT`): the fields exist in every build, only the
    // draft build lets an application set them.
    /// `ZMQ_ROUTER_NOTIFY` bits (ROUTER only).
    router_notify: i32 = 0;
    /// Kept and read back only: our read and write batches size themselves.
    #[cfg_attr(not(feature = "draft"), allow(dead_code))]
    in_batch_size: i32 = 8192;
    #[cfg_attr(not(feature = "draft"), allow(dead_code))]
    out_batch_size: i32 = 8192;
    /// `SO_PRIORITY` for tcp sockets (0: left alone).
    priority: i32 = 0;
    /// `SO_BUSY_POLL` for tcp sockets (0: left alone).
    busy_poll: i32 = 0;
    /// Sent to the peer first on every new connection (`ZMQ_HELLO_MSG`).
    hello_msg: Bytes = Bytes::new();
    /// Delivered to this socket when an accepted peer goes away.
    disconnect_msg: Bytes = Bytes::new();
    /// Delivered to this socket when a connection it made breaks.
    hiccup_msg: Bytes = Bytes::new();
    /// `wss://` (draft `ZMQ_WSS_*`, set only, as in libzmq): a server's
    /// certificate chain and key, a client's trusted certificates (PEM
    /// texts), the name a client checks, and whether it also trusts the
    /// system's certificates.
    #[cfg_attr(not(feature = "wss"), allow(dead_code))]
    wss_key_pem: Bytes = Bytes::new();
    #[cfg_attr(not(feature = "wss"), allow(dead_code))]
    wss_cert_pem: Bytes = Bytes::new();
    #[cfg_attr(not(feature = "wss"), allow(dead_code))]
    wss_trust_pem: Bytes = Bytes::new();
    #[cfg_attr(not(feature = "wss"), allow(dead_code))]
    wss_hostname: String = String::new();
    #[cfg_attr(not(feature = "wss"), allow(dead_code))]
    wss_trust_system: bool = false;
}

/// The draft options of `Options` (libzmq 4.3.5 built with drafts).
#[cfg(feature = "draft")]
const DRAFT: &[Spec] = &[
    Spec {
        num: opt::ROUTER_NOTIFY,
        // libzmq `router_t::xsetsockopt`: a ROUTER takes 0..=3; every
        // type reads the option back (0 for the others).
        set: Some(|o, v| {
            let bits = as_int(v)?;
            let all = opt::NOTIFY_CONNECT | opt::NOTIFY_DISCONNECT;
            if o.socket_type != 6 || !(0..=all).contains(&bits) {
                return Err(Error::INVAL);
            }
            o.router_notify = bits;
            Ok(())
        }),
        get: Some(|o| Some(OptVal::Int(o.router_notify))),
    },
    Spec {
        num: opt::IN_BATCH_SIZE,
        set: Some(|o, v| Int { min: 1 }.set(&mut o.in_batch_size, v)),
        get: Some(|o| Some(OptVal::Int(o.in_batch_size))),
    },
    Spec {
        num: opt::OUT_BATCH_SIZE,
        set: Some(|o, v| Int { min: 1 }.set(&mut o.out_batch_size, v)),
        get: Some(|o| Some(OptVal::Int(o.out_batch_size))),
    },
    Spec {
        num: opt::PRIORITY,
        set: Some(|o, v| Int { min: 0 }.set(&mut o.priority, v)),
        get: Some(|o| Some(OptVal::Int(o.priority))),
    },
    Spec {
        num: opt::BUSY_POLL,
        set: Some(|o, v| Int { min: i32::MIN }.set(&mut o.busy_poll, v)),
        // libzmq 4.3.5's getsockopt writes the value but then fails with
        // EINVAL (its case falls through to the error): so do we.
        get: Some(|_| None),
    },
    Spec {
        num: opt::HELLO_MSG,
        set: Some(|o, v| {
            Blob {
                min: 0,
                max: usize::MAX,
            }
            .set(&mut o.hello_msg, v)
        }),
        get: None,
    },
    Spec {
        num: opt::DISCONNECT_MSG,
        set: Some(|o, v| {
            Blob {
                min: 0,
                max: usize::MAX,
            }
            .set(&mut o.disconnect_msg, v)
        }),
        get: None,
    },
    Spec {
        num: opt::HICCUP_MSG,
        set: Some(|o, v| {
            Blob {
                min: 0,
                max: usize::MAX,
            }
            .set(&mut o.hiccup_msg, v)
        }),
        get: None,
    },
];

#[cfg(not(feature = "draft"))]
const DRAFT: &[Spec] = &[];

/// A PEM text or name, kept as given (libzmq keeps the bytes; an empty
/// value clears it).
#[cfg(feature = "wss")]
fn wss_text(field: &mut Bytes, v: &[u8]) -> Result<()> {
    *field = Bytes::copy_from_slice(v);
    Ok(())
}

/// The `wss://` options: set only (libzmq 4.3.5's getsockopt refuses
/// them with EINVAL).
#[cfg(feature = "wss")]
const WSS: &[Spec] = &[
    Spec {
        num: opt::WSS_KEY_PEM,
        set: Some(|o, v| wss_text(&mut o.wss_key_pem, v)),
        get: None,
    },
    Spec {
        num: opt::WSS_CERT_PEM,
        set: Some(|o, v| wss_text(&mut o.wss_cert_pem, v)),
        get: None,
    },
    Spec {
        num: opt::WSS_TRUST_PEM,
        set: Some(|o, v| wss_text(&mut o.wss_trust_pem, v)),
        get: None,
    },
    Spec {
        num: opt::WSS_HOSTNAME,
        // Any bytes, as libzmq takes them; the name is what comes before
        // a NUL (libzmq hands GnuTLS the C string).
        set: Some(|o, v| {
            let name = v.split(|&b| b == 0).next().unwrap_or_default();
            o.wss_hostname = String::from_utf8_lossy(name).into_owned();
            Ok(())
        }),
        get: None,
    },
    Spec {
        num: opt::WSS_TRUST_SYSTEM,
        set: Some(|o, v| {
            o.wss_trust_system = as_bool(v)?;
            Ok(())
        }),
        get: None,
    },
];

#[cfg(not(feature = "wss"))]
const WSS: &[Spec] = &[];

/// Options that read or write more than one field, or none.
const COUPLED: &[Spec] = &[
    Spec {
        num: opt::TYPE,
        set: None,
        get: Some(|o| Some(OptVal::Int(o.socket_type))),
    },
    Spec {
        num: opt::IPV4ONLY,
        set: Some(|o, v| {
            o.ipv6 = !as_bool(v)?;
            Ok(())
        }),
        get: Some(|o| Some(OptVal::Int(!o.ipv6 as i32))),
    },
    Spec {
        num: opt::MECHANISM,
        set: None,
        get: Some(|o| Some(OptVal::Int(o.mechanism))),
    },
    Spec {
        num: opt::PLAIN_SERVER,
        set: Some(|o, v| o.server(as_bool(v)?, MECH_PLAIN)),
        get: Some(|o| Some(OptVal::Int(o.is_server(MECH_PLAIN) as i32))),
    },
    Spec {
        num: opt::CURVE_SERVER,
        set: Some(|o, v| o.server(as_bool(v)?, MECH_CURVE)),
        get: Some(|o| Some(OptVal::Int(o.is_server(MECH_CURVE) as i32))),
    },
    Spec {
        num: opt::PLAIN_USERNAME,
        set: Some(|o, v| {
            o.plain_username = o.plain_credential(v)?;
            Ok(())
        }),
        get: Some(|o| Some(OptVal::Text(Bytes::copy_from_slice(&o.plain_username)))),
    },
    Spec {
        num: opt::PLAIN_PASSWORD,
        set: Some(|o, v| {
            o.plain_password = o.plain_credential(v)?;
            Ok(())
        }),
        get: Some(|o| Some(OptVal::Text(Bytes::copy_from_slice(&o.plain_password)))),
    },
    Spec {
        num: opt::CURVE_PUBLICKEY,
        set: Some(|o, v| {
            o.curve_public = o.curve_key(v)?;
            Ok(())
        }),
        get: Some(|o| Some(OptVal::CurveKey(o.curve_public.unwrap_or_default()))),
    },
    Spec {
        num: opt::CURVE_SECRETKEY,
        set: Some(|o, v| {
            o.curve_secret = o.curve_key(v)?;
            Ok(())
        }),
        get: Some(|o| Some(OptVal::CurveKey(o.curve_secret.unwrap_or_default()))),
    },
    Spec {
        num: opt::CURVE_SERVERKEY,
        set: Some(|o, v| {
            o.curve_server = o.curve_key(v)?;
            // libzmq: setting the server's key makes this socket a client.
            o.as_server = false;
            Ok(())
        }),
        get: Some(|o| Some(OptVal::CurveKey(o.curve_server.unwrap_or_default()))),
    },
    Spec {
        num: opt::CONNECT_ROUTING_ID,
        set: Some(|o, v| {
            // Only the types that name their peers take it: ROUTER, STREAM
            // and REP (a ROUTER inside, in libzmq).
            use crate::zmtp::socket_type::{ZMQ_REP, ZMQ_ROUTER, ZMQ_STREAM};
            let named = matches!(o.socket_type, ZMQ_REP | ZMQ_ROUTER | ZMQ_STREAM);
            if !named || v.is_empty() || v.len() > 255 {
                return Err(Error::INVAL);
            }
            o.connect_routing_id = Some(Bytes::copy_from_slice(v));
            Ok(())
        }),
        get: None,
    },
    Spec {
        num: opt::THREAD_SAFE,
        set: None,
        get: Some(|_| Some(OptVal::Int(0))),
    },
];

/// Options of libzmq builds with GSSAPI or VMCI: `EINVAL` both ways, as in
/// a libzmq built without them.
const UNSUPPORTED: &[i32] = &[
    opt::GSSAPI_SERVER,
    opt::GSSAPI_PRINCIPAL,
    opt::GSSAPI_SERVICE_PRINCIPAL,
    opt::GSSAPI_PLAINTEXT,
    opt::GSSAPI_PRINCIPAL_NAMETYPE,
    opt::GSSAPI_SERVICE_PRINCIPAL_NAMETYPE,
    opt::VMCI_BUFFER_SIZE,
    opt::VMCI_BUFFER_MIN_SIZE,
    opt::VMCI_BUFFER_MAX_SIZE,
    opt::VMCI_CONNECT_TIMEOUT,
];

/// The entry for `option`; `None` (`EINVAL`) for unknown and unsupported
/// options.
fn spec(option: i32) -> Option<&'static Spec> {
    if UNSUPPORTED.contains(&option) {
        return None;
    }
    TABLE
        .iter()
        .chain(COUPLED)
        .chain(DRAFT)
        .chain(WSS)
        .find(|s| s.num == option)
}

impl Options {
    /// Sets a generic option. `Err(EINVAL)` for unknown options, wrong sizes
    /// or values outside libzmq's accepted range.
    pub fn set(&mut self, option: i32, v: &[u8]) -> Result<()> {
        let set = spec(option).and_then(|s| s.set).ok_or(Error::INVAL)?;
        set(self, v)
    }

    /// Reads a generic option.
    pub fn get(&self, option: i32) -> Result<OptVal> {
        let get = spec(option).and_then(|s| s.get).ok_or(Error::INVAL)?;
        get(self).ok_or(Error::INVAL)
    }

    /// The draft `ZMQ_HELLO_MSG` to send first on every new connection:
    /// set and of a type that sends one (libzmq `can_send_hello_msg`:
    /// DEALER, ROUTER, SERVER, CLIENT, PEER).
    pub fn hello_to_send(&self) -> Option<&Bytes> {
        let can = matches!(self.socket_type, 5 | 6 | 12 | 13 | 19);
        (can && !self.hello_msg.is_empty()).then_some(&self.hello_msg)
    }

    /// The draft `ZMQ_DISCONNECT_MSG` this socket receives when an
    /// accepted (or inproc) peer goes away: set and of a type that takes
    /// one (libzmq `can_recv_disconnect_msg`: ROUTER, SERVER, PEER).
    pub fn disconnect_to_recv(&self) -> Option<&Bytes> {
        let can = matches!(self.socket_type, 6 | 12 | 19);
        (can && !self.disconnect_msg.is_empty()).then_some(&self.disconnect_msg)
    }

    /// The draft `ZMQ_HICCUP_MSG` this socket receives when a connection
    /// it made breaks: set and of a type that takes one (libzmq
    /// `can_recv_hiccup_msg`: DEALER, CLIENT, PEER).
    pub fn hiccup_to_recv(&self) -> Option<&Bytes> {
        let can = matches!(self.socket_type, 5 | 13 | 19);
        (can && !self.hiccup_msg.is_empty()).then_some(&self.hiccup_msg)
    }

    /// `ZMQ_PLAIN_SERVER`/`ZMQ_CURVE_SERVER`: on selects `mech` as server,
    /// off selects NULL.
    fn server(&mut self, on: bool, mech: i32) -> Result<()> {
        self.as_server = on;
        self.mechanism = if on { mech } else { MECH_NULL };
        Ok(())
    }

    fn is_server(&self, mech: i32) -> bool {
        self.as_server && self.mechanism == mech
    }

    /// A PLAIN username or password (at most 255 bytes): a non-empty one
    /// makes this socket a PLAIN client, an empty one selects NULL.
    fn plain_credential(&mut self, v: &[u8]) -> Result<Bytes> {
        if v.len() > 255 {
            return Err(Error::INVAL);
        }
        if v.is_empty() {
            self.mechanism = MECH_NULL;
        } else {
            self.as_server = false;
            self.mechanism = MECH_PLAIN;
        }
        Ok(Bytes::copy_from_slice(v))
    }

    /// A CURVE key option; any of them selects CURVE.
    fn curve_key(&mut self, v: &[u8]) -> Result<Option<[u8; 32]>> {
        let key = curve_key(v)?;
        self.mechanism = MECH_CURVE;
        Ok(Some(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(v: i32) -> [u8; 4] {
        v.to_ne_bytes()
    }

    #[test]
    fn defaults_match_libzmq() {
        let o = Options::new(0, false, true);
        assert_eq!(o.get(opt::SNDHWM).unwrap(), OptVal::Int(1000));
        assert_eq!(o.get(opt::LINGER).unwrap(), OptVal::Int(-1));
        assert_eq!(o.get(opt::MAXMSGSIZE).unwrap(), OptVal::Int64(-1));
        assert_eq!(o.get(opt::HANDSHAKE_IVL).unwrap(), OptVal::Int(30000));
        assert_eq!(o.get(opt::IPV4ONLY).unwrap(), OptVal::Int(1));
        assert_eq!(o.get(opt::HEARTBEAT_TIMEOUT).unwrap(), OptVal::Int(-1));
    }

    #[test]
    fn non_blocky_context_gives_zero_linger() {
        let o = Options::new(0, false, false);
        assert_eq!(o.linger, 0);
    }

    #[test]
    fn wrong_sizes_and_values_are_einval() {
        let mut o = Options::new(0, false, true);
        assert_eq!(o.set(opt::SNDHWM, &[1, 2]), Err(Error::INVAL));
        assert_eq!(o.set(opt::SNDHWM, &int(-1)), Err(Error::INVAL));
        assert_eq!(o.set(opt::LINGER, &int(-2)), Err(Error::INVAL));
        assert_eq!(o.set(opt::ROUTING_ID, &[]), Err(Error::INVAL));
        assert_eq!(o.set(opt::ROUTING_ID, &[1; 256]), Err(Error::INVAL));
        assert_eq!(o.set(9999, &int(1)), Err(Error::INVAL));
        assert_eq!(o.set(opt::IMMEDIATE, &int(2)), Err(Error::INVAL));
    }

    #[test]
    fn heartbeat_ttl_is_kept_in_deciseconds() {
        let mut o = Options::new(0, false, true);
        o.set(opt::HEARTBEAT_TTL, &int(1234)).unwrap();
        assert_eq!(o.get(opt::HEARTBEAT_TTL).unwrap(), OptVal::Int(1200));
    }

    #[test]
    fn plain_username_selects_plain_client() {
        let mut o = Options::new(0, false, true);
        o.set(opt::PLAIN_USERNAME, b"admin").unwrap();
        assert_eq!(o.mechanism, MECH_PLAIN);
        assert!(!o.as_server);
        o.set(opt::PLAIN_USERNAME, b"").unwrap();
        assert_eq!(o.mechanism, MECH_NULL);
    }

    #[test]
    fn draft_numbers_libzmq_always_handles_read_back() {
        let mut o = Options::new(0, false, true);
        assert_eq!(o.get(opt::ZAP_ENFORCE_DOMAIN).unwrap(), OptVal::Int(0));
        assert_eq!(o.get(opt::LOOPBACK_FASTPATH).unwrap(), OptVal::Int(0));
        assert_eq!(o.get(opt::MULTICAST_LOOP).unwrap(), OptVal::Int(1));
        o.set(opt::ZAP_ENFORCE_DOMAIN, &int(7)).unwrap();
        o.set(opt::RECONNECT_STOP, &int(3)).unwrap();
        assert_eq!(o.get(opt::RECONNECT_STOP).unwrap(), OptVal::Int(3));
        o.set(opt::MULTICAST_LOOP, &int(0)).unwrap();
        assert_eq!(o.get(opt::ZAP_ENFORCE_DOMAIN).unwrap(), OptVal::Int(1));
        assert_eq!(o.get(opt::MULTICAST_LOOP).unwrap(), OptVal::Int(0));
        assert_eq!(o.set(opt::LOOPBACK_FASTPATH, &[1]), Err(Error::INVAL));
    }

    #[test]
    fn metadata_properties_are_validated_and_the_first_value_stays() {
        let mut o = Options::new(0, false, true);
        o.set(opt::METADATA, b"X-color:red").unwrap();
        o.set(opt::METADATA, b"X-color:blue").unwrap();
        assert_eq!(
            o.app_metadata,
            vec![("X-color".into(), Bytes::from_static(b"red"))]
        );
        for bad in [
            &b"color:red"[..],
            b"X-color:",
            b":red",
            b"X-color",
            b"X-a:",
            b"X-:b",
        ] {
            assert_eq!(o.set(opt::METADATA, bad), Err(Error::INVAL), "{bad:?}");
        }
        assert_eq!(o.get(opt::METADATA), Err(Error::INVAL));
    }

    #[test]
    fn each_option_is_listed_once() {
        let nums: Vec<i32> = TABLE
            .iter()
            .chain(COUPLED)
            .chain(DRAFT)
            .chain(WSS)
            .map(|s| s.num)
            .collect();
        for (i, n) in nums.iter().enumerate() {
            assert!(!nums[i + 1..].contains(n), "option {n} listed twice");
            assert!(
                !UNSUPPORTED.contains(n),
                "option {n} both listed and unsupported"
            );
        }
    }

    #[test]
    fn unsupported_and_read_only_options_are_einval() {
        let mut o = Options::new(0, false, true);
        for &n in UNSUPPORTED {
            assert_eq!(o.set(n, &int(1)), Err(Error::INVAL));
            assert_eq!(o.get(n), Err(Error::INVAL));
        }
        assert_eq!(o.set(opt::TYPE, &int(1)), Err(Error::INVAL));
        assert_eq!(o.set(opt::MECHANISM, &int(1)), Err(Error::INVAL));
        assert_eq!(o.get(opt::TCP_ACCEPT_FILTER), Err(Error::INVAL));
        assert_eq!(o.get(opt::CONNECT_ROUTING_ID), Err(Error::INVAL));
        assert_eq!(o.set(opt::CONNECT_ROUTING_ID, b"x"), Err(Error::INVAL));
        let mut router = Options::new(6, false, true);
        router.set(opt::CONNECT_ROUTING_ID, b"x").unwrap();
        assert_eq!(router.connect_routing_id.as_deref(), Some(&b"x"[..]));
    }

    #[test]
    fn keys_and_servers_select_the_mechanism() {
        let mut o = Options::new(0, false, true);
        o.set(opt::CURVE_SERVER, &int(1)).unwrap();
        assert_eq!(o.get(opt::CURVE_SERVER).unwrap(), OptVal::Int(1));
        o.set(opt::CURVE_SERVERKEY, &[7; 32]).unwrap();
        assert_eq!((o.mechanism, o.as_server), (MECH_CURVE, false));
        assert_eq!(
            o.get(opt::CURVE_SERVERKEY).unwrap(),
            OptVal::CurveKey([7; 32])
        );
        assert_eq!(o.set(opt::CURVE_PUBLICKEY, &[7; 31]), Err(Error::INVAL));
        o.set(opt::PLAIN_SERVER, &int(0)).unwrap();
        assert_eq!(o.mechanism, MECH_NULL);
        o.set(opt::IPV4ONLY, &int(0)).unwrap();
        assert_eq!(o.get(opt::IPV6).unwrap(), OptVal::Int(1));
    }

    #[cfg(feature = "wss")]
    #[test]
    fn wss_options_are_set_only_as_in_libzmq() {
        let mut o = Options::new(3, false, true);
        for opt in [opt::WSS_KEY_PEM, opt::WSS_CERT_PEM, opt::WSS_TRUST_PEM] {
            o.set(opt, b"pem").unwrap();
            assert_eq!(o.get(opt), Err(Error::INVAL));
        }
        assert_eq!(&o.wss_trust_pem[..], b"pem");
        o.set(opt::WSS_HOSTNAME, b"zeromq.org\0junk").unwrap();
        assert_eq!(o.wss_hostname, "zeromq.org");
        o.set(opt::WSS_HOSTNAME, &[0xff, b'x']).unwrap();
        assert_eq!(o.get(opt::WSS_HOSTNAME), Err(Error::INVAL));
        o.set(opt::WSS_TRUST_SYSTEM, &int(1)).unwrap();
        assert!(o.wss_trust_system);
        assert_eq!(o.set(opt::WSS_TRUST_SYSTEM, &int(2)), Err(Error::INVAL));
        assert_eq!(o.set(opt::WSS_TRUST_SYSTEM, b"ab"), Err(Error::INVAL));
        assert!(o.wss_trust_system);
        assert_eq!(o.get(opt::WSS_TRUST_SYSTEM), Err(Error::INVAL));
    }

    #[cfg(feature = "draft")]
    #[test]
    fn draft_options_are_validated_as_libzmq_does() {
        let mut router = Options::new(6, false, true);
        let mut dealer = Options::new(5, false, true);
        router.set(opt::ROUTER_NOTIFY, &int(3)).unwrap();
        assert_eq!(router.get(opt::ROUTER_NOTIFY).unwrap(), OptVal::Int(3));
        for bad in [-1, 4] {
            assert_eq!(router.set(opt::ROUTER_NOTIFY, &int(bad)), Err(Error::INVAL));
        }
        assert_eq!(router.get(opt::ROUTER_NOTIFY).unwrap(), OptVal::Int(3));
        assert_eq!(dealer.set(opt::ROUTER_NOTIFY, &int(1)), Err(Error::INVAL));
        assert_eq!(dealer.get(opt::ROUTER_NOTIFY).unwrap(), OptVal::Int(0));
        for o in [opt::IN_BATCH_SIZE, opt::OUT_BATCH_SIZE] {
            assert_eq!(dealer.get(o).unwrap(), OptVal::Int(8192));
            assert_eq!(dealer.set(o, &int(0)), Err(Error::INVAL));
            dealer.set(o, &int(1)).unwrap();
            assert_eq!(dealer.get(o).unwrap(), OptVal::Int(1));
        }
        assert_eq!(dealer.set(opt::PRIORITY, &int(-1)), Err(Error::INVAL));
        dealer.set(opt::PRIORITY, &int(3)).unwrap();
        assert_eq!(dealer.get(opt::PRIORITY).unwrap(), OptVal::Int(3));
        dealer.set(opt::BUSY_POLL, &int(-5)).unwrap();
        assert_eq!(dealer.busy_poll, -5);
        assert_eq!(dealer.get(opt::BUSY_POLL), Err(Error::INVAL));
        for o in [opt::HELLO_MSG, opt::DISCONNECT_MSG, opt::HICCUP_MSG] {
            dealer.set(o, b"x").unwrap();
            router.set(o, b"x").unwrap();
            assert_eq!(dealer.get(o), Err(Error::INVAL));
        }
        // Each message acts only for the types libzmq lets it.
        assert!(dealer.hello_to_send().is_some() && router.hello_to_send().is_some());
        assert!(dealer.disconnect_to_recv().is_none());
        assert!(router.disconnect_to_recv().is_some());
        assert!(dealer.hiccup_to_recv().is_some() && router.hiccup_to_recv().is_none());
        dealer.set(opt::HELLO_MSG, b"").unwrap();
        assert!(dealer.hello_to_send().is_none(), "an empty value clears it");
    }

    #[cfg(not(feature = "draft"))]
    #[test]
    fn draft_only_options_are_einval_in_the_default_build() {
        let mut o = Options::new(6, false, true);
        for n in [97, 101, 102, 110, 111, 112, 113, 114] {
            assert_eq!(o.set(n, &int(1)), Err(Error::INVAL), "{n}");
            assert_eq!(o.get(n), Err(Error::INVAL), "{n}");
        }
    }

    #[test]
    fn accept_filters_are_validated() {
        assert!(valid_accept_filter("127.0.0.1"));
        assert!(valid_accept_filter("10.0.0.0/8"));
        assert!(valid_accept_filter("::1/128"));
        assert!(!valid_accept_filter("10.0.0.0/33"));
        assert!(!valid_accept_filter("host"));
    }
}
