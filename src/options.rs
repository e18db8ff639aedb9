//! Every socket option of libzmq 4.3.5: number, type, default, validation.
//!
//! `Options::set`/`Options::get` are the one place that knows how a value is
//! encoded (int, int64, uint64, binary, string, CURVE key) and which values
//! are valid; socket types add their own options on top (see `socket/`).

#![forbid(unsafe_code)]

use crate::error::{Error, Result};
use bytes::Bytes;

/// Option numbers (zmq.h).
pub mod opt {
    pub const AFFINITY: i32 = 4;
    pub const ROUTING_ID: i32 = 5;
    pub const SUBSCRIBE: i32 = 6;
    pub const UNSUBSCRIBE: i32 = 7;
    pub const RATE: i32 = 8;
    pub const RECOVERY_IVL: i32 = 9;
    pub const SNDBUF: i32 = 11;
    pub const RCVBUF: i32 = 12;
    pub const RCVMORE: i32 = 13;
    pub const FD: i32 = 14;
    pub const EVENTS: i32 = 15;
    pub const TYPE: i32 = 16;
    pub const LINGER: i32 = 17;
    pub const RECONNECT_IVL: i32 = 18;
    pub const BACKLOG: i32 = 19;
    pub const RECONNECT_IVL_MAX: i32 = 21;
    pub const MAXMSGSIZE: i32 = 22;
    pub const SNDHWM: i32 = 23;
    pub const RCVHWM: i32 = 24;
    pub const MULTICAST_HOPS: i32 = 25;
    pub const RCVTIMEO: i32 = 27;
    pub const SNDTIMEO: i32 = 28;
    pub const IPV4ONLY: i32 = 31;
    pub const LAST_ENDPOINT: i32 = 32;
    pub const ROUTER_MANDATORY: i32 = 33;
    pub const TCP_KEEPALIVE: i32 = 34;
    pub const TCP_KEEPALIVE_CNT: i32 = 35;
    pub const TCP_KEEPALIVE_IDLE: i32 = 36;
    pub const TCP_KEEPALIVE_INTVL: i32 = 37;
    pub const TCP_ACCEPT_FILTER: i32 = 38;
    pub const IMMEDIATE: i32 = 39;
    pub const XPUB_VERBOSE: i32 = 40;
    pub const ROUTER_RAW: i32 = 41;
    pub const IPV6: i32 = 42;
    pub const MECHANISM: i32 = 43;
    pub const PLAIN_SERVER: i32 = 44;
    pub const PLAIN_USERNAME: i32 = 45;
    pub const PLAIN_PASSWORD: i32 = 46;
    pub const CURVE_SERVER: i32 = 47;
    pub const CURVE_PUBLICKEY: i32 = 48;
    pub const CURVE_SECRETKEY: i32 = 49;
    pub const CURVE_SERVERKEY: i32 = 50;
    pub const PROBE_ROUTER: i32 = 51;
    pub const REQ_CORRELATE: i32 = 52;
    pub const REQ_RELAXED: i32 = 53;
    pub const CONFLATE: i32 = 54;
    pub const ZAP_DOMAIN: i32 = 55;
    pub const ROUTER_HANDOVER: i32 = 56;
    pub const TOS: i32 = 57;
    pub const IPC_FILTER_PID: i32 = 58;
    pub const IPC_FILTER_UID: i32 = 59;
    pub const IPC_FILTER_GID: i32 = 60;
    pub const CONNECT_ROUTING_ID: i32 = 61;
    pub const GSSAPI_SERVER: i32 = 62;
    pub const GSSAPI_PRINCIPAL: i32 = 63;
    pub const GSSAPI_SERVICE_PRINCIPAL: i32 = 64;
    pub const GSSAPI_PLAINTEXT: i32 = 65;
    pub const HANDSHAKE_IVL: i32 = 66;
    pub const SOCKS_PROXY: i32 = 68;
    pub const XPUB_NODROP: i32 = 69;
    pub const XPUB_MANUAL: i32 = 71;
    pub const XPUB_WELCOME_MSG: i32 = 72;
    pub const STREAM_NOTIFY: i32 = 73;
    pub const INVERT_MATCHING: i32 = 74;
    pub const HEARTBEAT_IVL: i32 = 75;
    pub const HEARTBEAT_TTL: i32 = 76;
    pub const HEARTBEAT_TIMEOUT: i32 = 77;
    pub const XPUB_VERBOSER: i32 = 78;
    pub const CONNECT_TIMEOUT: i32 = 79;
    pub const TCP_MAXRT: i32 = 80;
    pub const THREAD_SAFE: i32 = 81;
    pub const MULTICAST_MAXTPDU: i32 = 84;
    pub const VMCI_BUFFER_SIZE: i32 = 85;
    pub const VMCI_BUFFER_MIN_SIZE: i32 = 86;
    pub const VMCI_BUFFER_MAX_SIZE: i32 = 87;
    pub const VMCI_CONNECT_TIMEOUT: i32 = 88;
    pub const USE_FD: i32 = 89;
    pub const GSSAPI_PRINCIPAL_NAMETYPE: i32 = 90;
    pub const GSSAPI_SERVICE_PRINCIPAL_NAMETYPE: i32 = 91;
    pub const BINDTODEVICE: i32 = 92;
    // Draft options kept because libzmq accepts them in every build.
    pub const ZAP_ENFORCE_DOMAIN: i32 = 93;
    pub const LOOPBACK_FASTPATH: i32 = 94;
    pub const METADATA: i32 = 95;
    pub const MULTICAST_LOOP: i32 = 96;
    pub const SOCKS_USERNAME: i32 = 99;
    pub const SOCKS_PASSWORD: i32 = 100;
    pub const RECONNECT_STOP: i32 = 109;
    /// XPUB/XSUB only, read-only; answered in every 4.3.5 build.
    pub const TOPICS_COUNT: i32 = 116;
}

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
    /// A socket fd.
    Fd(i32),
    /// A CURVE key: 32 binary bytes into a 32-byte buffer, Z85 text and a
    /// NUL into a 41-byte one (libzmq `do_getsockopt_curve_key`).
    CurveKey([u8; 32]),
}

/// A socket's options. Cloned into each session as a snapshot, like libzmq.
#[derive(Debug, Clone)]
pub struct Options {
    pub socket_type: i32,
    pub affinity: u64,
    pub routing_id: Bytes,
    pub rate: i32,
    pub recovery_ivl: i32,
    pub sndbuf: i32,
    pub rcvbuf: i32,
    pub linger: i32,
    pub reconnect_ivl: i32,
    pub reconnect_ivl_max: i32,
    pub backlog: i32,
    pub maxmsgsize: i64,
    pub sndhwm: i32,
    pub rcvhwm: i32,
    pub multicast_hops: i32,
    pub rcvtimeo: i32,
    pub sndtimeo: i32,
    pub ipv6: bool,
    pub immediate: bool,
    pub tcp_keepalive: i32,
    pub tcp_keepalive_cnt: i32,
    pub tcp_keepalive_idle: i32,
    pub tcp_keepalive_intvl: i32,
    pub tcp_accept_filters: Vec<String>,
    pub mechanism: i32,
    pub as_server: bool,
    pub plain_username: Bytes,
    pub plain_password: Bytes,
    pub curve_public: Option<[u8; 32]>,
    pub curve_secret: Option<[u8; 32]>,
    pub curve_server: Option<[u8; 32]>,
    pub zap_domain: Bytes,
    pub zap_enforce_domain: bool,
    pub conflate: bool,
    pub invert_matching: bool,
    pub tos: i32,
    pub connect_routing_id: Option<Bytes>,
    pub handshake_ivl: i32,
    pub socks_proxy: String,
    pub socks_username: String,
    pub socks_password: String,
    pub heartbeat_ivl: i32,
    /// In deciseconds, as it travels in PING.
    pub heartbeat_ttl: u16,
    pub heartbeat_timeout: i32,
    pub connect_timeout: i32,
    pub tcp_maxrt: i32,
    pub multicast_maxtpdu: i32,
    pub multicast_loop: bool,
    pub use_fd: i32,
    pub bindtodevice: String,
    pub ipc_filter_pid: Vec<i32>,
    pub ipc_filter_uid: Vec<u32>,
    pub ipc_filter_gid: Vec<u32>,
    pub app_metadata: Vec<(String, Bytes)>,
    pub loopback_fastpath: bool,
    pub reconnect_stop: i32,
    /// ROUTER/STREAM etc. read the peer's routing id (set by the socket type).
    pub recv_routing_id: bool,
    /// XPUB/XSUB-style sockets that forward subscriptions as messages.
    pub raw_socket: bool,
}

impl Options {
    pub fn new(socket_type: i32, ipv6: bool, blocky: bool) -> Options {
        Options {
            socket_type,
            affinity: 0,
            routing_id: Bytes::new(),
            rate: 100,
            recovery_ivl: 10000,
            sndbuf: -1,
            rcvbuf: -1,
            linger: if blocky { -1 } else { 0 },
            reconnect_ivl: 100,
            reconnect_ivl_max: 0,
            backlog: 100,
            maxmsgsize: -1,
            sndhwm: 1000,
            rcvhwm: 1000,
            multicast_hops: 1,
            rcvtimeo: -1,
            sndtimeo: -1,
            ipv6,
            immediate: false,
            tcp_keepalive: -1,
            tcp_keepalive_cnt: -1,
            tcp_keepalive_idle: -1,
            tcp_keepalive_intvl: -1,
            tcp_accept_filters: Vec::new(),
            mechanism: MECH_NULL,
            as_server: false,
            plain_username: Bytes::new(),
            plain_password: Bytes::new(),
            curve_public: None,
            curve_secret: None,
            curve_server: None,
            zap_domain: Bytes::new(),
            zap_enforce_domain: false,
            conflate: false,
            invert_matching: false,
            tos: 0,
            connect_routing_id: None,
            handshake_ivl: 30000,
            socks_proxy: String::new(),
            socks_username: String::new(),
            socks_password: String::new(),
            heartbeat_ivl: 0,
            heartbeat_ttl: 0,
            heartbeat_timeout: -1,
            connect_timeout: 0,
            tcp_maxrt: 0,
            multicast_maxtpdu: 1500,
            multicast_loop: true,
            use_fd: -1,
            bindtodevice: String::new(),
            ipc_filter_pid: Vec::new(),
            ipc_filter_uid: Vec::new(),
            ipc_filter_gid: Vec::new(),
            app_metadata: Vec::new(),
            loopback_fastpath: false,
            reconnect_stop: 0,
            recv_routing_id: false,
            raw_socket: false,
        }
    }

    /// Sets a generic option. `Err(EINVAL)` for unknown options, wrong sizes
    /// or values outside libzmq's accepted range.
    pub fn set(&mut self, option: i32, v: &[u8]) -> Result<()> {
        use opt::*;
        match option {
            AFFINITY => self.affinity = as_u64(v)?,
            ROUTING_ID => {
                if v.is_empty() || v.len() > 255 {
                    return Err(Error::INVAL);
                }
                self.routing_id = Bytes::copy_from_slice(v);
            }
            RATE => self.rate = int_min(v, 1)?,
            RECOVERY_IVL => self.recovery_ivl = int_min(v, 0)?,
            SNDBUF => self.sndbuf = int_min(v, -1)?,
            RCVBUF => self.rcvbuf = int_min(v, -1)?,
            LINGER => self.linger = int_min(v, -1)?,
            RECONNECT_IVL => self.reconnect_ivl = int_min(v, -1)?,
            RECONNECT_IVL_MAX => self.reconnect_ivl_max = int_min(v, 0)?,
            BACKLOG => self.backlog = int_min(v, 0)?,
            MAXMSGSIZE => self.maxmsgsize = as_i64(v)?,
            SNDHWM => self.sndhwm = int_min(v, 0)?,
            RCVHWM => self.rcvhwm = int_min(v, 0)?,
            MULTICAST_HOPS => self.multicast_hops = int_min(v, 1)?,
            RCVTIMEO => self.rcvtimeo = int_min(v, -1)?,
            SNDTIMEO => self.sndtimeo = int_min(v, -1)?,
            IPV4ONLY => self.ipv6 = !as_bool(v)?,
            IPV6 => self.ipv6 = as_bool(v)?,
            TCP_KEEPALIVE => {
                let k = as_int(v)?;
                if !(-1..=1).contains(&k) {
                    return Err(Error::INVAL);
                }
                self.tcp_keepalive = k;
            }
            TCP_KEEPALIVE_CNT => self.tcp_keepalive_cnt = keepalive_value(v)?,
            TCP_KEEPALIVE_IDLE => self.tcp_keepalive_idle = keepalive_value(v)?,
            TCP_KEEPALIVE_INTVL => self.tcp_keepalive_intvl = keepalive_value(v)?,
            TCP_ACCEPT_FILTER => {
                if v.is_empty() {
                    self.tcp_accept_filters.clear();
                } else {
                    let s = std::str::from_utf8(v).map_err(|_| Error::INVAL)?;
                    let s = s.trim_end_matches('\0');
                    if s.is_empty() || s.len() > 255 || !valid_accept_filter(s) {
                        return Err(Error::INVAL);
                    }
                    self.tcp_accept_filters.push(s.to_string());
                }
            }
            IMMEDIATE => self.immediate = as_bool(v)?,
            PLAIN_SERVER => {
                let on = as_bool(v)?;
                self.as_server = on;
                self.mechanism = if on { MECH_PLAIN } else { MECH_NULL };
            }
            INVERT_MATCHING => self.invert_matching = as_int(v)? != 0,
            CURVE_SERVER => {
                let on = as_bool(v)?;
                self.as_server = on;
                self.mechanism = if on { MECH_CURVE } else { MECH_NULL };
            }
            CURVE_PUBLICKEY => {
                self.curve_public = Some(curve_key(v)?);
                self.mechanism = MECH_CURVE;
            }
            CURVE_SECRETKEY => {
                self.curve_secret = Some(curve_key(v)?);
                self.mechanism = MECH_CURVE;
            }
            CURVE_SERVERKEY => {
                // libzmq: setting the server's key makes this socket a client.
                self.curve_server = Some(curve_key(v)?);
                self.mechanism = MECH_CURVE;
                self.as_server = false;
            }
            PLAIN_USERNAME | PLAIN_PASSWORD => {
                if v.len() > 255 {
                    return Err(Error::INVAL);
                }
                if v.is_empty() {
                    self.mechanism = MECH_NULL;
                } else {
                    self.as_server = false;
                    self.mechanism = MECH_PLAIN;
                }
                let b = Bytes::copy_from_slice(v);
                if option == PLAIN_USERNAME {
                    self.plain_username = b;
                } else {
                    self.plain_password = b;
                }
            }
            ZAP_DOMAIN => {
                if v.len() > 255 {
                    return Err(Error::INVAL);
                }
                self.zap_domain = Bytes::copy_from_slice(v);
            }
            CONFLATE => self.conflate = as_bool(v)?,
            CONNECT_ROUTING_ID => {
                // Only the types that name their peers take it.
                let named = matches!(self.socket_type, 6 | 11);
                if !named || v.is_empty() || v.len() > 255 {
                    return Err(Error::INVAL);
                }
                self.connect_routing_id = Some(Bytes::copy_from_slice(v));
            }
            TOS => self.tos = int_min(v, 0)?,
            IPC_FILTER_PID => self.ipc_filter_pid.push(as_int(v)?),
            IPC_FILTER_UID => self.ipc_filter_uid.push(as_int(v)? as u32),
            IPC_FILTER_GID => self.ipc_filter_gid.push(as_int(v)? as u32),
            GSSAPI_SERVER
            | GSSAPI_PRINCIPAL
            | GSSAPI_SERVICE_PRINCIPAL
            | GSSAPI_PLAINTEXT
            | GSSAPI_PRINCIPAL_NAMETYPE
            | GSSAPI_SERVICE_PRINCIPAL_NAMETYPE => {
                // libzmq without GSSAPI support rejects these.
                return Err(Error::INVAL);
            }
            HANDSHAKE_IVL => self.handshake_ivl = int_min(v, 0)?,
            SOCKS_PROXY => self.socks_proxy = as_string(v)?,
            SOCKS_USERNAME | SOCKS_PASSWORD => {
                if v.len() > 255 {
                    return Err(Error::INVAL);
                }
                let s = as_string(v)?;
                if option == SOCKS_USERNAME {
                    self.socks_username = s;
                } else {
                    self.socks_password = s;
                }
            }
            HEARTBEAT_IVL => self.heartbeat_ivl = int_min(v, 0)?,
            HEARTBEAT_TTL => {
                let ms = as_int(v)?;
                // Carried in deciseconds in a 16-bit field (RFC 37 PING).
                if !(0..=6_553_599).contains(&ms) {
                    return Err(Error::INVAL);
                }
                self.heartbeat_ttl = (ms / 100) as u16;
            }
            HEARTBEAT_TIMEOUT => self.heartbeat_timeout = int_min(v, 0)?,
            CONNECT_TIMEOUT => self.connect_timeout = int_min(v, 0)?,
            TCP_MAXRT => self.tcp_maxrt = int_min(v, 0)?,
            MULTICAST_MAXTPDU => self.multicast_maxtpdu = int_min(v, 1)?,
            USE_FD => self.use_fd = int_min(v, -1)?,
            BINDTODEVICE => {
                let s = as_string(v)?;
                if s.len() > 15 {
                    return Err(Error::INVAL);
                }
                self.bindtodevice = s;
            }
            VMCI_BUFFER_SIZE | VMCI_BUFFER_MIN_SIZE | VMCI_BUFFER_MAX_SIZE
            | VMCI_CONNECT_TIMEOUT => {
                // Only in VMCI builds of libzmq.
                return Err(Error::INVAL);
            }
            // Draft numbers that libzmq's option code handles in every
            // build (pyzmq reads them all back): any int, non-zero = on.
            RECONNECT_STOP => self.reconnect_stop = as_int(v)?,
            ZAP_ENFORCE_DOMAIN => self.zap_enforce_domain = as_int(v)? != 0,
            LOOPBACK_FASTPATH => self.loopback_fastpath = as_int(v)? != 0,
            MULTICAST_LOOP => self.multicast_loop = as_int(v)? != 0,
            METADATA => {
                let (name, value) = app_metadata_property(v)?;
                // The first value given for a name stays (libzmq keeps a
                // map and inserts without replacing).
                if !self.app_metadata.iter().any(|(n, _)| *n == name) {
                    self.app_metadata.push((name, value));
                }
            }
            _ => return Err(Error::INVAL),
        }
        Ok(())
    }

    /// Reads a generic option.
    pub fn get(&self, option: i32) -> Result<OptVal> {
        use opt::*;
        Ok(match option {
            AFFINITY => OptVal::Uint64(self.affinity),
            ROUTING_ID => OptVal::Bin(self.routing_id.clone()),
            RATE => OptVal::Int(self.rate),
            RECOVERY_IVL => OptVal::Int(self.recovery_ivl),
            SNDBUF => OptVal::Int(self.sndbuf),
            RCVBUF => OptVal::Int(self.rcvbuf),
            TYPE => OptVal::Int(self.socket_type),
            LINGER => OptVal::Int(self.linger),
            RECONNECT_IVL => OptVal::Int(self.reconnect_ivl),
            RECONNECT_IVL_MAX => OptVal::Int(self.reconnect_ivl_max),
            BACKLOG => OptVal::Int(self.backlog),
            MAXMSGSIZE => OptVal::Int64(self.maxmsgsize),
            SNDHWM => OptVal::Int(self.sndhwm),
            RCVHWM => OptVal::Int(self.rcvhwm),
            MULTICAST_HOPS => OptVal::Int(self.multicast_hops),
            RCVTIMEO => OptVal::Int(self.rcvtimeo),
            SNDTIMEO => OptVal::Int(self.sndtimeo),
            IPV4ONLY => OptVal::Int(!self.ipv6 as i32),
            IPV6 => OptVal::Int(self.ipv6 as i32),
            TCP_KEEPALIVE => OptVal::Int(self.tcp_keepalive),
            TCP_KEEPALIVE_CNT => OptVal::Int(self.tcp_keepalive_cnt),
            TCP_KEEPALIVE_IDLE => OptVal::Int(self.tcp_keepalive_idle),
            TCP_KEEPALIVE_INTVL => OptVal::Int(self.tcp_keepalive_intvl),
            IMMEDIATE => OptVal::Int(self.immediate as i32),
            MECHANISM => OptVal::Int(self.mechanism),
            PLAIN_SERVER => OptVal::Int((self.as_server && self.mechanism == MECH_PLAIN) as i32),
            CURVE_SERVER => OptVal::Int((self.as_server && self.mechanism == MECH_CURVE) as i32),
            CURVE_PUBLICKEY => OptVal::CurveKey(self.curve_public.unwrap_or_default()),
            CURVE_SECRETKEY => OptVal::CurveKey(self.curve_secret.unwrap_or_default()),
            CURVE_SERVERKEY => OptVal::CurveKey(self.curve_server.unwrap_or_default()),
            PLAIN_USERNAME => OptVal::Str(String::from_utf8_lossy(&self.plain_username).into()),
            PLAIN_PASSWORD => OptVal::Str(String::from_utf8_lossy(&self.plain_password).into()),
            ZAP_DOMAIN => OptVal::Str(String::from_utf8_lossy(&self.zap_domain).into()),
            CONFLATE => OptVal::Int(self.conflate as i32),
            INVERT_MATCHING => OptVal::Int(self.invert_matching as i32),
            TOS => OptVal::Int(self.tos),
            HANDSHAKE_IVL => OptVal::Int(self.handshake_ivl),
            SOCKS_PROXY => OptVal::Str(self.socks_proxy.clone()),
            SOCKS_USERNAME => OptVal::Str(self.socks_username.clone()),
            SOCKS_PASSWORD => OptVal::Str(self.socks_password.clone()),
            HEARTBEAT_IVL => OptVal::Int(self.heartbeat_ivl),
            HEARTBEAT_TTL => OptVal::Int(self.heartbeat_ttl as i32 * 100),
            HEARTBEAT_TIMEOUT => OptVal::Int(self.heartbeat_timeout),
            CONNECT_TIMEOUT => OptVal::Int(self.connect_timeout),
            TCP_MAXRT => OptVal::Int(self.tcp_maxrt),
            THREAD_SAFE => OptVal::Int(0),
            MULTICAST_MAXTPDU => OptVal::Int(self.multicast_maxtpdu),
            USE_FD => OptVal::Int(self.use_fd),
            BINDTODEVICE => OptVal::Str(self.bindtodevice.clone()),
            ZAP_ENFORCE_DOMAIN => OptVal::Int(self.zap_enforce_domain as i32),
            RECONNECT_STOP => OptVal::Int(self.reconnect_stop),
            LOOPBACK_FASTPATH => OptVal::Int(self.loopback_fastpath as i32),
            MULTICAST_LOOP => OptVal::Int(self.multicast_loop as i32),
            _ => return Err(Error::INVAL),
        })
    }
}

/// A CURVE key as libzmq's `set_curve_key` takes it: 32 binary bytes, 40
/// Z85 characters, or 41 bytes holding 40 Z85 characters and a NUL.
fn curve_key(v: &[u8]) -> Result<[u8; 32]> {
    let text = match v.len() {
        32 => return v.try_into().map_err(|_| Error::INVAL),
        40 => v,
        41 if v[40] == 0 => &v[..40],
        _ => return Err(Error::INVAL),
    };
    let mut key = [0u8; 32];
    crate::util::z85::decode_into(text, &mut key).map_err(|_| Error::INVAL)?;
    Ok(key)
}

pub fn as_int(v: &[u8]) -> Result<i32> {
    let a: [u8; 4] = v.try_into().map_err(|_| Error::INVAL)?;
    Ok(i32::from_ne_bytes(a))
}

fn int_min(v: &[u8], min: i32) -> Result<i32> {
    let x = as_int(v)?;
    if x < min {
        return Err(Error::INVAL);
    }
    Ok(x)
}

pub fn as_bool(v: &[u8]) -> Result<bool> {
    match as_int(v)? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(Error::INVAL),
    }
}

fn as_i64(v: &[u8]) -> Result<i64> {
    let a: [u8; 8] = v.try_into().map_err(|_| Error::INVAL)?;
    Ok(i64::from_ne_bytes(a))
}

fn as_u64(v: &[u8]) -> Result<u64> {
    let a: [u8; 8] = v.try_into().map_err(|_| Error::INVAL)?;
    Ok(u64::from_ne_bytes(a))
}

fn as_string(v: &[u8]) -> Result<String> {
    let v = match v.iter().position(|&b| b == 0) {
        Some(p) => &v[..p],
        None => v,
    };
    String::from_utf8(v.to_vec()).map_err(|_| Error::INVAL)
}

/// `ZMQ_METADATA`'s "X-name:value": the name starts with "X-" and is at
/// most 255 bytes, the value is not empty. libzmq tells an int from a
/// string by its size, so a 4-byte property is refused.
fn app_metadata_property(v: &[u8]) -> Result<(String, Bytes)> {
    if v.is_empty() || v.len() == std::mem::size_of::<i32>() {
        return Err(Error::INVAL);
    }
    let colon = v.iter().position(|&b| b == b':').ok_or(Error::INVAL)?;
    let (name, value) = (&v[..colon], &v[colon + 1..]);
    if name.is_empty() || value.is_empty() || !name.starts_with(b"X-") || name.len() > 255 {
        return Err(Error::INVAL);
    }
    let name = String::from_utf8(name.to_vec()).map_err(|_| Error::INVAL)?;
    Ok((name, Bytes::copy_from_slice(value)))
}

fn keepalive_value(v: &[u8]) -> Result<i32> {
    let k = as_int(v)?;
    if k == -1 || k > 0 {
        Ok(k)
    } else {
        Err(Error::INVAL)
    }
}

/// A TCP accept filter is an IPv4/IPv6 address with an optional /mask.
fn valid_accept_filter(s: &str) -> bool {
    let (addr, mask) = match s.split_once('/') {
        Some((a, m)) => (a, Some(m)),
        None => (s, None),
    };
    let max = match addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => 32,
        Ok(std::net::IpAddr::V6(_)) => 128,
        Err(_) => return false,
    };
    match mask {
        None => true,
        Some(m) => m.parse::<u32>().map(|m| m <= max).unwrap_or(false),
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
    fn accept_filters_are_validated() {
        assert!(valid_accept_filter("127.0.0.1"));
        assert!(valid_accept_filter("10.0.0.0/8"));
        assert!(valid_accept_filter("::1/128"));
        assert!(!valid_accept_filter("10.0.0.0/33"));
        assert!(!valid_accept_filter("host"));
    }
}
