//! The whole connection handshake, sans-IO: greeting, version fallback,
//! identity exchange (ZMTP 1.0/2.0) or security mechanism (3.x), ZAP.
//!
//! The caller owns the sockets and buffers:
//!
//! ```text
//! let mut hs = Handshake::new(cfg);           // signature queued
//! loop {
//!     write hs.output() to the peer, splitting off what was written;
//!     read into `inbuf`;
//!     match hs.input(&mut inbuf)? {
//!         NeedMore => continue,
//!         Zap(req) => send req.frames(peer_addr) to the ZAP handler,
//!                     later hs.zap_reply(reply)? (then input() again),
//!         Done(est) => { write est.output; traffic starts; inbuf's
//!                        remaining bytes are the first traffic frames }
//!     }
//! }
//! ```
//!
//! On `Err`, write what is left in `output()` (it may hold an ERROR
//! command), then close. Time is not handled here: the I/O layer enforces
//! `ZMQ_HANDSHAKE_IVL` itself.
//!
//! Fallbacks follow libzmq 4.3.5 (`zmtp_engine_t`): an unversioned peer
//! (ZMTP 1.0) gets the rest of our identity frame and 1.0 framing; a
//! revision 0/1 peer gets the 2.0 greeting tail and an identity frame in
//! 1.0/2.0 framing; in both cases the peer's first frame is its identity.
//! When security or ZAP is on, such peers are refused (RFC 37 §Detecting
//! ZMTP 1.0 and 2.0 Peers: a 1.0/2.0 peer "can only request NULL").
//!
//! Memory before authentication: until `Done`, every frame the peer sends
//! (a 1.0/2.0 identity frame, a 3.x command) is refused on its header
//! alone when it announces more than `HANDSHAKE_FRAME_MAX` bytes (or
//! `ZMQ_MAXMSGSIZE`, when smaller), and only whole frames are consumed,
//! so the caller never needs to buffer more than that per connection.

use bytes::{Bytes, BytesMut};

use super::codec::{encode_frame, Decoder, Encoder, Version};
use super::error::{code, HandshakeError};
use super::greeting::{GreetingExchange, PeerGreeting};
use super::mechanism::curve::CurveCipher;
use super::mechanism::{Mechanism, MechanismConfig, Shared};
use super::metadata::{lookup, Property};
use super::socket_type::{socket_type_from_name, ZMQ_PUB, ZMQ_XPUB};
use super::zap::{ZapReply, ZapRequest};

/// The largest frame accepted before the handshake is done: 64 KiB.
///
/// Every handshake command has a size fixed or bounded by its RFC except
/// metadata: greeting 64 octets, ERROR ≤ 262, PLAIN HELLO ≤ 518, CURVE
/// HELLO 200, WELCOME 168, INITIATE 257 + metadata, READY 30 + metadata.
/// The metadata a libzmq peer sends is Socket-Type, an Identity of at most
/// 255 octets (`ZMQ_ROUTING_ID`'s limit) and its `ZMQ_METADATA` "X-"
/// properties; 64 KiB leaves room for hundreds of those while keeping what
/// an unauthenticated peer can make us hold small and fixed (1000 half-open
/// connections: 64 MiB at most, and only if the peers send it all).
/// libzmq itself accepts any size up to `ZMQ_MAXMSGSIZE` here (it mallocs
/// what the header announces), so a peer sending more metadata than this is
/// the one difference; it is closed like an oversized frame (no handshake
/// event, then `DISCONNECTED`; a connecter does not retry).
pub const HANDSHAKE_FRAME_MAX: usize = 64 * 1024;

/// The frame size limit while handshaking: `HANDSHAKE_FRAME_MAX`, or
/// `ZMQ_MAXMSGSIZE` when that is smaller (libzmq applies it to handshake
/// commands too).
pub fn handshake_frame_limit(max_msg_size: i64) -> i64 {
    let cap = HANDSHAKE_FRAME_MAX as i64;
    if max_msg_size >= 0 {
        max_msg_size.min(cap)
    } else {
        cap
    }
}

/// What a connection needs to know to handshake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandshakeConfig {
    /// Our `ZMQ_*` socket type (0..=20).
    pub socket_type: i32,
    /// `ZMQ_ROUTING_ID` (0..=255 bytes).
    pub routing_id: Bytes,
    pub mechanism: MechanismConfig,
    /// `ZMQ_METADATA` entries ("X-..." names); sent in READY/INITIATE.
    pub app_metadata: Vec<(String, Bytes)>,
    /// `ZMQ_ZAP_DOMAIN`.
    pub zap_domain: Bytes,
    /// `ZMQ_ZAP_ENFORCE_DOMAIN` (draft): NULL fails without a ZAP handler.
    pub zap_enforce_domain: bool,
    /// `ZMQ_MAXMSGSIZE` (-1 = unlimited); applies to handshake commands too.
    pub max_msg_size: i64,
}

impl Default for HandshakeConfig {
    fn default() -> Self {
        HandshakeConfig {
            socket_type: 0,
            routing_id: Bytes::new(),
            mechanism: MechanismConfig::Null,
            app_metadata: Vec::new(),
            zap_domain: Bytes::new(),
            zap_enforce_domain: false,
            max_msg_size: -1,
        }
    }
}

/// What `input` and `zap_reply` achieved.
#[derive(Debug)]
pub enum Progress {
    /// Everything usable was consumed; read more.
    NeedMore,
    /// Send this to the ZAP handler and answer with `zap_reply`. Raised
    /// once per handshake.
    Zap(ZapRequest),
    /// The handshake succeeded.
    Done(Established),
}

/// A connection ready for traffic.
#[derive(Debug)]
pub struct Established {
    pub version: Version,
    /// "NULL", "PLAIN" or "CURVE" (ZMTP 1.0/2.0: "NULL").
    pub mechanism: &'static str,
    /// The peer's type: from Socket-Type (3.x; None if it sent none), the
    /// greeting's socket-type octet (revision 0/1 greetings), or None
    /// (unversioned 1.0).
    pub peer_socket_type: Option<i32>,
    /// The peer's identity: its identity frame (1.0/2.0) or the last
    /// Identity property (3.x), else empty. Whether to use it is the
    /// socket's business (libzmq: only when `recv_routing_id`).
    pub peer_routing_id: Bytes,
    /// Connection properties for `zmq_msg_gets`, first match wins (as
    /// libzmq's property map): when ZAP ran, "User-Id" and the ZAP
    /// metadata first, then every READY/INITIATE property in wire order
    /// (Socket-Type, Identity, X-*, ...). Empty for 1.0/2.0 peers.
    pub properties: Vec<Property>,
    /// ZAP user id, empty when ZAP did not run or gave none (libzmq then
    /// pushes no credential message).
    pub user_id: Bytes,
    /// Decoder for the traffic, with `max_msg_size`.
    pub decoder: Decoder,
    /// Framing for our traffic.
    pub encoder: Encoder,
    /// Handshake bytes not yet written (READY, identity frame...). They
    /// must go out before any traffic.
    pub output: BytesMut,
    /// libzmq injects a "subscribe to everything" message (`\x01`) into a
    /// PUB/XPUB socket's inbound stream when the peer is unversioned
    /// ZMTP 1.0, whose SUB sockets filtered locally and never subscribed.
    pub subscribe_all_required: bool,
    /// CURVE: every traffic frame is sealed and opened by this cipher.
    /// None for NULL and PLAIN (traffic in clear).
    pub cipher: Option<CurveCipher>,
}

impl Established {
    /// The first property called `name` (case-sensitive).
    pub fn property(&self, name: &str) -> Option<&Bytes> {
        lookup(&self.properties, name)
    }
}

enum Phase {
    Greeting,
    /// 1.0/2.0: waiting for the peer's identity frame; `stash` holds bytes
    /// already taken from the caller (the unversioned greeting octets).
    LegacyIdentity {
        stash: BytesMut,
    },
    Mechanism,
    Finished,
    Failed(HandshakeError),
}

/// One connection's handshake.
pub struct Handshake {
    phase: Phase,
    greeting: GreetingExchange,
    shared: Shared,
    mechanism_cfg: MechanismConfig,
    mechanism: Option<Box<dyn Mechanism>>,
    decoder: Decoder,
    max_msg_size: i64,
    peer_socket_type: Option<i32>,
    subscribe_all_required: bool,
}

impl Handshake {
    /// Starts a handshake; the signature is queued in `output()`.
    pub fn new(cfg: HandshakeConfig) -> Self {
        let mut out = BytesMut::with_capacity(256);
        let routing_id = cfg.routing_id.slice(..cfg.routing_id.len().min(255));
        let greeting = GreetingExchange::new(
            routing_id.len(),
            cfg.socket_type,
            cfg.mechanism.name(),
            &mut out,
        );
        // libzmq keeps application metadata in a std::map: sent sorted by
        // name, and the first value set for a name wins.
        let mut app_metadata: Vec<Property> = Vec::with_capacity(cfg.app_metadata.len());
        for (n, v) in cfg.app_metadata {
            if !app_metadata.iter().any(|(m, _)| *m == n) {
                app_metadata.push((n, v));
            }
        }
        app_metadata.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        Handshake {
            phase: Phase::Greeting,
            greeting,
            shared: Shared {
                version: Version::V3_1,
                socket_type: cfg.socket_type,
                routing_id,
                app_metadata,
                zap_domain: cfg.zap_domain,
                zap_enforce_domain: cfg.zap_enforce_domain,
                out,
                peer_props: Vec::new(),
                zap: None,
                zap_request: None,
            },
            mechanism_cfg: cfg.mechanism,
            mechanism: None,
            decoder: Decoder::new(Version::V3_1, handshake_frame_limit(cfg.max_msg_size)),
            max_msg_size: cfg.max_msg_size,
            peer_socket_type: None,
            subscribe_all_required: false,
        }
    }

    /// Bytes to write now. The caller writes some and removes them
    /// (`split_to(n)` / `advance(n)`).
    pub fn output(&mut self) -> &mut BytesMut {
        &mut self.shared.out
    }

    /// Consumes what it can from `buf`: never more than the handshake, so
    /// after `Done` the rest of `buf` is traffic.
    pub fn input(&mut self, buf: &mut BytesMut) -> Result<Progress, HandshakeError> {
        let r = self.step(buf);
        self.settle(r)
    }

    /// Delivers the ZAP handler's answer to the request raised earlier.
    /// Call `input()` afterwards if unread bytes may be waiting.
    pub fn zap_reply(&mut self, reply: ZapReply) -> Result<Progress, HandshakeError> {
        let r = self.zap_step(reply);
        self.settle(r)
    }

    fn zap_step(&mut self, reply: ZapReply) -> Result<Progress, HandshakeError> {
        match &self.phase {
            Phase::Mechanism => {}
            Phase::Failed(e) => return Err(e.clone()),
            _ => return Err(HandshakeError::InvalidState),
        }
        let Some(m) = self.mechanism.as_mut() else {
            return Err(HandshakeError::InvalidState);
        };
        m.zap_reply(reply, &mut self.shared)?;
        Ok(self.check_ready())
    }

    fn settle(&mut self, r: Result<Progress, HandshakeError>) -> Result<Progress, HandshakeError> {
        if let Err(e) = &r {
            if !matches!(self.phase, Phase::Failed(_)) {
                tracing::trace!(target: "monocoque::handshake", error = %e, "ZMTP handshake failed");
                self.phase = Phase::Failed(e.clone());
            }
        }
        r
    }

    fn step(&mut self, buf: &mut BytesMut) -> Result<Progress, HandshakeError> {
        loop {
            match &mut self.phase {
                Phase::Greeting => {
                    let Some(peer) = self.greeting.input(buf, &mut self.shared.out) else {
                        return Ok(Progress::NeedMore);
                    };
                    self.after_greeting(peer)?;
                }
                Phase::LegacyIdentity { stash } => {
                    // Pull exactly one frame's worth into the stash: the
                    // unversioned greeting octets already sit there, and
                    // bytes after the identity frame must stay in `buf`.
                    loop {
                        let need = self.decoder.needed(stash);
                        if stash.len() >= need {
                            break;
                        }
                        if buf.is_empty() {
                            return Ok(Progress::NeedMore);
                        }
                        let take = (need - stash.len()).min(buf.len());
                        stash.extend_from_slice(&buf.split_to(take));
                    }
                    let Some(frame) = self.decoder.decode(stash)? else {
                        return Ok(Progress::NeedMore);
                    };
                    // The greeting stops at the identity header, so the
                    // stash holds nothing more; if it ever did, those bytes
                    // are traffic and go back in front of the caller's.
                    if !stash.is_empty() {
                        stash.extend_from_slice(buf);
                        *buf = std::mem::take(stash);
                    }
                    return Ok(Progress::Done(self.establish(frame.body)));
                }
                Phase::Mechanism => return self.mechanism_input(buf),
                Phase::Finished => return Err(HandshakeError::InvalidState),
                Phase::Failed(e) => return Err(e.clone()),
            }
        }
    }

    fn zap_enabled(&self) -> bool {
        // libzmq `session_base_t::zap_enabled`.
        self.mechanism_cfg != MechanismConfig::Null || !self.shared.zap_domain.is_empty()
    }

    fn after_greeting(&mut self, peer: PeerGreeting) -> Result<(), HandshakeError> {
        tracing::debug!(target: "monocoque::handshake", "peer greeting: {}", crate::log::describe_greeting(&peer));
        let version = peer.version();
        self.decoder = Decoder::new(version, handshake_frame_limit(self.max_msg_size));
        self.shared.version = version;
        match peer {
            PeerGreeting::Unversioned { received } => {
                if self.zap_enabled() {
                    tracing::warn!(target: "monocoque::handshake", "ZMTP 1.0/2.0 peer refused: security or ZAP is on");
                    return Err(HandshakeError::LegacyPeerRejected);
                }
                // Our signature was the header of a 1.0 identity frame;
                // its body follows.
                let id = self.shared.routing_id.clone();
                self.shared.out.extend_from_slice(&id);
                self.subscribe_all_required = matches!(self.shared.socket_type, ZMQ_PUB | ZMQ_XPUB);
                self.phase = Phase::LegacyIdentity {
                    stash: BytesMut::from(&received[..]),
                };
            }
            PeerGreeting::Legacy { socket_type, .. } => {
                if self.zap_enabled() {
                    tracing::warn!(target: "monocoque::handshake", "ZMTP 1.0/2.0 peer refused: security or ZAP is on");
                    return Err(HandshakeError::LegacyPeerRejected);
                }
                self.peer_socket_type = Some(i32::from(socket_type));
                let id = self.shared.routing_id.clone();
                encode_frame(version, false, false, &id, &mut self.shared.out);
                self.phase = Phase::LegacyIdentity {
                    stash: BytesMut::new(),
                };
            }
            PeerGreeting::V3 { mechanism, .. } => {
                if &mechanism != self.greeting.mechanism() {
                    tracing::warn!(target: "monocoque::handshake", ours = %crate::log::mechanism_name(self.greeting.mechanism()), peer = %crate::log::mechanism_name(&mechanism), "security mechanism mismatch");
                    return Err(HandshakeError::MechanismMismatch);
                }
                let mut m = self.mechanism_cfg.build();
                m.start(&mut self.shared)?;
                self.mechanism = Some(m);
                self.phase = Phase::Mechanism;
            }
        }
        Ok(())
    }

    fn mechanism_input(&mut self, buf: &mut BytesMut) -> Result<Progress, HandshakeError> {
        let Some(m) = self.mechanism.as_mut() else {
            return Err(HandshakeError::InvalidState);
        };
        while m.awaits_command() {
            let Some(frame) = self.decoder.decode(buf)? else {
                break;
            };
            // RFC 23 §Framing: the handshake is made of commands only.
            if !frame.command {
                return Err(HandshakeError::Protocol(code::ZMTP_UNEXPECTED_COMMAND));
            }
            m.process_command(frame.body, &mut self.shared)?;
        }
        let progress = self.check_ready();
        if matches!(progress, Progress::NeedMore) {
            if let Some(req) = self.shared.zap_request.take() {
                return Ok(Progress::Zap(req));
            }
        }
        Ok(progress)
    }

    fn check_ready(&mut self) -> Progress {
        match &self.mechanism {
            Some(m) if m.is_ready() => {}
            _ => return Progress::NeedMore,
        }
        let mut properties = Vec::new();
        let mut user_id = Bytes::new();
        if let Some(zap) = self.shared.zap.take() {
            // libzmq records User-Id even when empty, before ZAP metadata.
            properties.push(("User-Id".to_owned(), zap.user_id.clone()));
            properties.extend(zap.metadata);
            user_id = zap.user_id;
        }
        let peer_props = std::mem::take(&mut self.shared.peer_props);
        // libzmq sets the routing id once per Identity property: last wins.
        let routing_id = peer_props
            .iter()
            .rev()
            .find(|(n, _)| n == "Identity")
            .map(|(_, v)| v.clone());
        self.peer_socket_type =
            lookup(&peer_props, "Socket-Type").and_then(|t| socket_type_from_name(t));
        properties.extend(peer_props);
        let mut cipher = self.mechanism.as_mut().and_then(|m| m.take_cipher());
        let mut est = self.establish(routing_id.unwrap_or_default());
        if let Some(c) = cipher.as_mut() {
            c.set_version(est.version);
        }
        est.properties = properties;
        est.user_id = user_id;
        est.cipher = cipher;
        Progress::Done(est)
    }

    fn establish(&mut self, peer_routing_id: Bytes) -> Established {
        self.phase = Phase::Finished;
        let version = self.decoder.version();
        let mechanism = if version.has_commands() {
            std::str::from_utf8(self.mechanism_cfg.name()).unwrap_or("NULL")
        } else {
            "NULL"
        };
        Established {
            version,
            mechanism,
            peer_socket_type: self.peer_socket_type,
            peer_routing_id,
            properties: Vec::new(),
            user_id: Bytes::new(),
            // Traffic frames get the socket's own limit back.
            decoder: Decoder::new(version, self.max_msg_size),
            encoder: Encoder::new(version),
            output: std::mem::take(&mut self.shared.out),
            subscribe_all_required: self.subscribe_all_required,
            cipher: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zmtp::codec::Frame;
    use crate::zmtp::codec::ProtocolError;
    use crate::zmtp::error::HandshakeEvent;
    use crate::zmtp::socket_type::*;
    use crate::zmtp::testutil::{XorShift, LIBZMQ_NULL_GREETING};

    fn b(x: &'static [u8]) -> Bytes {
        Bytes::from_static(x)
    }

    fn cfg(socket_type: i32) -> HandshakeConfig {
        HandshakeConfig {
            socket_type,
            ..Default::default()
        }
    }

    fn plain(socket_type: i32, server: bool) -> HandshakeConfig {
        HandshakeConfig {
            socket_type,
            mechanism: MechanismConfig::Plain {
                server,
                username: b(b"admin"),
                password: b(b"secret"),
            },
            ..Default::default()
        }
    }

    struct Side {
        hs: Handshake,
        inbuf: BytesMut,
        /// Bytes written by this side, not yet delivered to the other.
        wire: BytesMut,
        est: Option<Established>,
        err: Option<HandshakeError>,
        zaps: usize,
    }

    impl Side {
        fn new(c: HandshakeConfig) -> Side {
            Side {
                hs: Handshake::new(c),
                inbuf: BytesMut::new(),
                wire: BytesMut::new(),
                est: None,
                err: None,
                zaps: 0,
            }
        }

        fn active(&self) -> bool {
            self.est.is_none() && self.err.is_none()
        }

        fn flush(&mut self) {
            match &mut self.est {
                Some(e) => self.wire.extend_from_slice(&e.output.split()),
                None => {
                    let o = self.hs.output().split();
                    self.wire.extend_from_slice(&o);
                }
            }
        }

        fn apply(
            &mut self,
            r: Result<Progress, HandshakeError>,
            zap: &dyn Fn(&ZapRequest) -> ZapReply,
        ) {
            match r {
                Ok(Progress::NeedMore) => {}
                Ok(Progress::Zap(req)) => {
                    self.zaps += 1;
                    let r = self.hs.zap_reply(zap(&req));
                    self.apply(r, zap);
                    if self.active() {
                        let r = self.hs.input(&mut self.inbuf);
                        self.apply(r, zap);
                    }
                }
                Ok(Progress::Done(e)) => self.est = Some(e),
                Err(e) => self.err = Some(e),
            }
        }
    }

    /// Moves up to `chunk()` bytes from `x` to `y` and lets `y` read them.
    fn deliver(
        x: &mut Side,
        y: &mut Side,
        zap: &dyn Fn(&ZapRequest) -> ZapReply,
        chunk: &mut dyn FnMut() -> usize,
    ) -> bool {
        x.flush();
        let mut moved = false;
        if !x.wire.is_empty() {
            let n = chunk().clamp(1, x.wire.len());
            y.inbuf.extend_from_slice(&x.wire.split_to(n));
            moved = true;
        }
        if y.active() {
            let r = y.hs.input(&mut y.inbuf);
            y.apply(r, zap);
        }
        moved
    }

    /// Shuttles bytes between two handshakes, `chunk()` bytes at a time,
    /// until neither makes progress.
    fn pump(
        a: &mut Side,
        b: &mut Side,
        zap: &dyn Fn(&ZapRequest) -> ZapReply,
        chunk: &mut dyn FnMut() -> usize,
    ) {
        for _ in 0..100_000 {
            let mut moved = false;
            moved |= deliver(a, b, zap, chunk);
            moved |= deliver(b, a, zap, chunk);
            if !moved && a.wire.is_empty() && b.wire.is_empty() {
                return;
            }
        }
        panic!("handshake did not settle");
    }

    fn allow(_: &ZapRequest) -> ZapReply {
        ZapReply::from_status(b"200", Bytes::from_static(b"user-1"), Bytes::new())
    }

    fn run(ca: HandshakeConfig, cb: HandshakeConfig) -> (Side, Side) {
        let mut a = Side::new(ca);
        let mut b = Side::new(cb);
        pump(&mut a, &mut b, &allow, &mut || usize::MAX);
        (a, b)
    }

    #[test]
    fn null_dealer_router_handshake() {
        let mut dealer = cfg(ZMQ_DEALER);
        dealer.routing_id = b(b"client-1");
        dealer.app_metadata = vec![("X-Hello".into(), b(b"world"))];
        let (a, r) = run(dealer, cfg(ZMQ_ROUTER));
        let (a, r) = (a.est.unwrap(), r.est.unwrap());
        assert_eq!((a.version, r.version), (Version::V3_1, Version::V3_1));
        assert_eq!(a.peer_socket_type, Some(ZMQ_ROUTER));
        assert_eq!(r.peer_socket_type, Some(ZMQ_DEALER));
        assert_eq!(&r.peer_routing_id[..], b"client-1");
        // A ROUTER sends an (empty) Identity too: libzmq does for REQ, DEALER, ROUTER.
        assert_eq!(a.property("Identity").map(|v| v.len()), Some(0));
        assert_eq!(&r.property("X-Hello").unwrap()[..], b"world");
        assert_eq!(&r.property("Socket-Type").unwrap()[..], b"DEALER");
        assert_eq!(a.mechanism, "NULL");
        assert!(a.user_id.is_empty() && r.property("User-Id").is_none());
    }

    fn curve(socket_type: i32, server: bool, server_key: [u8; 32]) -> HandshakeConfig {
        let (public_key, secret_key) = crate::zmtp::mechanism::curve::keypair();
        HandshakeConfig {
            socket_type,
            mechanism: MechanismConfig::Curve {
                server,
                public_key,
                secret_key,
                server_key,
            },
            ..Default::default()
        }
    }

    /// A CURVE server config and its public key.
    fn curve_server(socket_type: i32) -> (HandshakeConfig, [u8; 32]) {
        let c = curve(socket_type, true, [0; 32]);
        let MechanismConfig::Curve { public_key, .. } = &c.mechanism else {
            unreachable!()
        };
        let pk = *public_key;
        (c, pk)
    }

    fn client_key(c: &HandshakeConfig) -> [u8; 32] {
        match &c.mechanism {
            MechanismConfig::Curve { public_key, .. } => *public_key,
            _ => unreachable!(),
        }
    }

    #[test]
    fn curve_handshake_then_sealed_traffic_both_ways() {
        let (sc, spk) = curve_server(ZMQ_ROUTER);
        let mut cc = curve(ZMQ_DEALER, false, spk);
        cc.routing_id = b(b"c-1");
        let ckey = client_key(&cc);
        let mut c = Side::new(cc);
        let mut s = Side::new(sc);
        let seen = std::cell::RefCell::new(None);
        let zap = |r: &ZapRequest| {
            *seen.borrow_mut() = Some(r.clone());
            allow(r)
        };
        pump(&mut c, &mut s, &zap, &mut || usize::MAX);
        let r = seen.into_inner().unwrap();
        assert_eq!(r.mechanism, b"CURVE");
        assert_eq!(r.credentials, vec![Bytes::copy_from_slice(&ckey)]);
        let (mut c, mut s) = (c.est.unwrap(), s.est.unwrap());
        assert_eq!((c.mechanism, s.mechanism), ("CURVE", "CURVE"));
        assert_eq!(&s.user_id[..], b"user-1");
        assert_eq!(&s.peer_routing_id[..], b"c-1");
        assert_eq!(s.peer_socket_type, Some(ZMQ_DEALER));
        assert_eq!(c.peer_socket_type, Some(ZMQ_ROUTER));
        let mut cc = c.cipher.take().unwrap();
        let mut sc = s.cipher.take().unwrap();
        for i in 0..5u8 {
            let mut wire = BytesMut::new();
            cc.tx.seal(1, &[i; 40], &mut wire);
            let f = Decoder::new(Version::V3_1, -1)
                .decode(&mut wire)
                .unwrap()
                .unwrap();
            assert!(!f.command && !f.more);
            assert!(f.body.starts_with(b"\x07MESSAGE"));
            assert_eq!(sc.rx.open(&f.body), Ok((1, Bytes::from(vec![i; 40]))));
            let mut wire = BytesMut::new();
            sc.tx.seal(2, b"\x04PING\x00\x00", &mut wire);
            let f = Decoder::new(Version::V3_1, -1)
                .decode(&mut wire)
                .unwrap()
                .unwrap();
            assert_eq!(cc.rx.open(&f.body), Ok((2, b(b"\x04PING\x00\x00"))));
        }
    }

    #[test]
    fn curve_replayed_tampered_and_misdirected_messages_are_refused() {
        use crate::zmtp::error::code;
        let (sc, spk) = curve_server(ZMQ_REP);
        let (mut c, mut s) = run(curve(ZMQ_REQ, false, spk), sc);
        let mut cc = c.est.as_mut().unwrap().cipher.take().unwrap();
        let mut sc = s.est.as_mut().unwrap().cipher.take().unwrap();
        let seal = |tx: &mut crate::zmtp::mechanism::curve::CurveTx, body: &[u8]| {
            let mut wire = BytesMut::new();
            tx.seal(0, body, &mut wire);
            Decoder::new(Version::V3_1, -1)
                .decode(&mut wire)
                .unwrap()
                .unwrap()
                .body
        };
        let m1 = seal(&mut cc.tx, b"one");
        let m2 = seal(&mut cc.tx, b"two");
        assert_eq!(sc.rx.open(&m2).unwrap().1, b(b"two"));
        // Older nonce, then the same one again.
        assert_eq!(sc.rx.open(&m1), Err(code::ZMTP_INVALID_SEQUENCE));
        assert_eq!(sc.rx.open(&m2), Err(code::ZMTP_INVALID_SEQUENCE));
        // One flipped bit anywhere in the box.
        let m3 = seal(&mut cc.tx, b"three");
        for i in 16..m3.len() {
            let mut t = m3.to_vec();
            t[i] ^= 0x20;
            assert!(sc.rx.open(&t).is_err(), "byte {i}");
        }
        // A message the server sealed cannot be opened as the client's.
        let back = seal(&mut sc.tx, b"x");
        assert!(sc.rx.open(&back).is_err());
        assert_eq!(cc.rx.open(&back).unwrap().1, b(b"x"));
        // Truncations and other commands.
        assert_eq!(
            sc.rx.open(b"\x07MESSAGE\x00\x00"),
            Err(code::ZMTP_MALFORMED_COMMAND_MESSAGE)
        );
        assert_eq!(
            sc.rx.open(b"\x05READY\x00\x00\x00"),
            Err(code::ZMTP_UNEXPECTED_COMMAND)
        );
        for n in 0..m3.len() {
            assert!(sc.rx.open(&m3[..n]).is_err());
        }
    }

    #[test]
    fn curve_client_with_wrong_server_key_is_refused() {
        use crate::zmtp::error::code;
        let (sc, _) = curve_server(ZMQ_ROUTER);
        let (other, _) = crate::zmtp::mechanism::curve::keypair();
        let (c, s) = run(curve(ZMQ_DEALER, false, other), sc);
        assert_eq!(
            s.err,
            Some(HandshakeError::Protocol(code::ZMTP_CRYPTOGRAPHIC))
        );
        assert!(c.est.is_none());
    }

    #[test]
    fn curve_zap_denial_and_missing_handler() {
        let (sc, spk) = curve_server(ZMQ_ROUTER);
        let mut c = Side::new(curve(ZMQ_DEALER, false, spk));
        let mut s = Side::new(sc.clone());
        let deny = |_: &ZapRequest| ZapReply::from_status(b"400", Bytes::new(), Bytes::new());
        pump(&mut c, &mut s, &deny, &mut || usize::MAX);
        assert_eq!(s.err, Some(HandshakeError::Auth { status: 400 }));
        assert_eq!(c.err, Some(HandshakeError::PeerError { reason: b(b"400") }));
        // No handler: libzmq accepts the client (Stonehouse)...
        let mut c = Side::new(curve(ZMQ_DEALER, false, spk));
        let mut s = Side::new(sc.clone());
        pump(&mut c, &mut s, &|_| ZapReply::NoHandler, &mut || usize::MAX);
        assert!(c.est.is_some() && s.est.is_some());
        // ...unless ZAP_ENFORCE_DOMAIN is set with a domain.
        let mut enforced = sc;
        enforced.zap_enforce_domain = true;
        enforced.zap_domain = b(b"d");
        let mut c = Side::new(curve(ZMQ_DEALER, false, spk));
        let mut s = Side::new(enforced);
        pump(&mut c, &mut s, &|_| ZapReply::NoHandler, &mut || usize::MAX);
        assert_eq!(s.err, Some(HandshakeError::NoZapHandler));
    }

    #[test]
    fn curve_handshake_survives_byte_by_byte_delivery() {
        let (sc, spk) = curve_server(ZMQ_PAIR);
        let mut c = Side::new(curve(ZMQ_PAIR, false, spk));
        let mut s = Side::new(sc);
        pump(&mut c, &mut s, &allow, &mut || 1);
        assert!(c.est.is_some() && s.est.is_some());
    }

    #[test]
    fn plain_handshake_with_zap() {
        let (c, s) = run(plain(ZMQ_DEALER, false), plain(ZMQ_ROUTER, true));
        assert_eq!(s.zaps, 1);
        let (c, s) = (c.est.unwrap(), s.est.unwrap());
        assert_eq!((c.mechanism, s.mechanism), ("PLAIN", "PLAIN"));
        assert_eq!(&s.user_id[..], b"user-1");
        assert_eq!(&s.property("User-Id").unwrap()[..], b"user-1");
        assert_eq!(s.peer_socket_type, Some(ZMQ_DEALER));
        assert!(c.user_id.is_empty());
    }

    #[test]
    fn plain_zap_request_carries_credentials() {
        let mut c = Side::new(plain(ZMQ_REQ, false));
        let mut s = Side::new(plain(ZMQ_REP, true));
        let seen = std::cell::RefCell::new(None);
        let zap = |r: &ZapRequest| {
            *seen.borrow_mut() = Some(r.clone());
            allow(r)
        };
        pump(&mut c, &mut s, &zap, &mut || usize::MAX);
        let r = seen.into_inner().unwrap();
        assert_eq!(r.credentials, vec![b(b"admin"), b(b"secret")]);
        assert_eq!(&r.frames(b"10.0.0.1")[6][..], b"PLAIN");
        assert!(c.est.is_some() && s.est.is_some());
    }

    #[test]
    fn plain_denied_by_zap() {
        let mut c = Side::new(plain(ZMQ_DEALER, false));
        let mut s = Side::new(plain(ZMQ_ROUTER, true));
        let deny = |_: &ZapRequest| ZapReply::from_status(b"400", Bytes::new(), Bytes::new());
        pump(&mut c, &mut s, &deny, &mut || usize::MAX);
        assert_eq!(s.err, Some(HandshakeError::Auth { status: 400 }));
        let ce = c.err.unwrap();
        assert_eq!(ce, HandshakeError::PeerError { reason: b(b"400") });
        assert_eq!(ce.event(), Some(HandshakeEvent::Auth { status: 400 }));
    }

    #[test]
    fn plain_server_without_zap_handler() {
        let mut c = Side::new(plain(ZMQ_DEALER, false));
        let mut s = Side::new(plain(ZMQ_ROUTER, true));
        pump(&mut c, &mut s, &|_| ZapReply::NoHandler, &mut || usize::MAX);
        assert_eq!(s.err, Some(HandshakeError::NoZapHandler));
        assert!(c.est.is_none());
    }

    #[test]
    fn null_with_zap_domain_asks_once_and_records_user_id() {
        let mut server = cfg(ZMQ_PULL);
        server.zap_domain = b(b"global");
        let (c, s) = run(cfg(ZMQ_PUSH), server);
        assert_eq!(s.zaps, 1);
        assert_eq!(c.zaps, 0);
        assert_eq!(&s.est.unwrap().property("User-Id").unwrap()[..], b"user-1");
        assert!(c.est.is_some());
    }

    #[test]
    fn zap_metadata_precedes_ready_properties() {
        let mut m = BytesMut::new();
        crate::zmtp::metadata::encode_property(b"X-Tag", b"zap", &mut m);
        let meta = m.freeze();
        let zap = move |_: &ZapRequest| ZapReply::from_status(b"200", Bytes::new(), meta.clone());
        let mut client = cfg(ZMQ_PUSH);
        client.app_metadata = vec![("X-Tag".into(), b(b"peer"))];
        let mut server = cfg(ZMQ_PULL);
        server.zap_domain = b(b"d");
        let mut c = Side::new(client);
        let mut s = Side::new(server);
        pump(&mut c, &mut s, &zap, &mut || usize::MAX);
        let s = s.est.unwrap();
        assert_eq!(&s.property("X-Tag").unwrap()[..], b"zap");
        assert_eq!(s.properties.iter().filter(|(n, _)| n == "X-Tag").count(), 2);
    }

    #[test]
    fn mechanism_mismatch_fails_both() {
        let (a, b) = run(cfg(ZMQ_DEALER), plain(ZMQ_ROUTER, true));
        assert_eq!(a.err, Some(HandshakeError::MechanismMismatch));
        assert_eq!(b.err, Some(HandshakeError::MechanismMismatch));
        assert_eq!(
            a.err.unwrap().event(),
            Some(HandshakeEvent::Protocol {
                code: code::ZMTP_MECHANISM_MISMATCH
            })
        );
    }

    #[test]
    fn incompatible_socket_types_fail() {
        let (a, b) = run(cfg(ZMQ_PUB), cfg(ZMQ_PUSH));
        assert!(matches!(
            a.err,
            Some(HandshakeError::IncompatibleSocketType { .. })
        ));
        assert!(matches!(
            b.err,
            Some(HandshakeError::IncompatibleSocketType { .. })
        ));
    }

    #[test]
    fn app_metadata_is_sorted_and_deduplicated_like_libzmq() {
        let mut c = cfg(ZMQ_PAIR);
        c.app_metadata = vec![
            ("X-b".into(), b(b"1")),
            ("X-a".into(), b(b"2")),
            ("X-b".into(), b(b"3")),
        ];
        let (_, peer) = run(c, cfg(ZMQ_PAIR));
        let names = peer.est.unwrap().properties;
        assert_eq!(
            names,
            vec![
                ("Socket-Type".into(), b(b"PAIR")),
                ("X-a".into(), b(b"2")),
                ("X-b".into(), b(b"1"))
            ]
        );
    }

    /// A libzmq 4.3.5 DEALER with empty routing id: greeting and READY.
    fn libzmq_dealer_bytes() -> Vec<u8> {
        let mut v = LIBZMQ_NULL_GREETING.to_vec();
        v.extend_from_slice(
            b"\x04\x29\x05READY\x0bSocket-Type\x00\x00\x00\x06DEALER\x08Identity\x00\x00\x00\x00",
        );
        v
    }

    #[test]
    fn accepts_recorded_libzmq_dealer_and_answers_like_libzmq() {
        let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
        let mut buf = BytesMut::from(&libzmq_dealer_bytes()[..]);
        buf.extend_from_slice(b"\x00\x05hello");
        let Progress::Done(mut est) = hs.input(&mut buf).unwrap() else {
            panic!("not done")
        };
        assert_eq!(&buf[..], b"\x00\x05hello");
        let mut want = LIBZMQ_NULL_GREETING.to_vec();
        want.extend_from_slice(
            b"\x04\x29\x05READY\x0bSocket-Type\x00\x00\x00\x06ROUTER\x08Identity\x00\x00\x00\x00",
        );
        assert_eq!(&est.output[..], &want[..]);
        let f = est.decoder.decode(&mut buf).unwrap().unwrap();
        assert_eq!(
            f,
            Frame {
                more: false,
                command: false,
                body: b(b"hello")
            }
        );
    }

    #[test]
    fn byte_at_a_time_completes() {
        let mut a = Side::new(plain(ZMQ_REQ, false));
        let mut s = Side::new(plain(ZMQ_REP, true));
        pump(&mut a, &mut s, &allow, &mut || 1);
        assert!(a.est.is_some() && s.est.is_some());
        // Frames are only taken whole: the caller's buffer accumulates.
        let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
        let bytes = libzmq_dealer_bytes();
        let mut buf = BytesMut::new();
        for (i, byte) in bytes.iter().enumerate() {
            buf.extend_from_slice(&[*byte]);
            let r = hs.input(&mut buf).unwrap();
            assert_eq!(matches!(r, Progress::Done(_)), i == bytes.len() - 1);
        }
        assert!(buf.is_empty());
    }

    #[test]
    fn random_splits_always_complete() {
        let mut rng = XorShift::new(1234);
        for round in 0..200 {
            let (ca, cb) = match round % 3 {
                0 => (cfg(ZMQ_DEALER), cfg(ZMQ_ROUTER)),
                1 => (plain(ZMQ_DEALER, false), plain(ZMQ_ROUTER, true)),
                _ => {
                    let mut s = cfg(ZMQ_SUB);
                    s.zap_domain = b(b"x");
                    (cfg(ZMQ_XPUB), s)
                }
            };
            let mut a = Side::new(ca);
            let mut c = Side::new(cb);
            pump(&mut a, &mut c, &allow, &mut || 1 + rng.below(70));
            assert!(a.est.is_some() && c.est.is_some(), "round {round}");
        }
    }

    #[test]
    fn zmtp_3_0_peer_negotiates_3_0() {
        let mut bytes = libzmq_dealer_bytes();
        bytes[11] = 0;
        let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
        let Progress::Done(est) = hs.input(&mut BytesMut::from(&bytes[..])).unwrap() else {
            panic!()
        };
        assert_eq!(est.version, Version::V3_0);
        assert_eq!(est.encoder.version(), Version::V3_0);
    }

    #[test]
    fn zmtp_2_0_peer_exchanges_identity_frames() {
        let mut c = cfg(ZMQ_DEALER);
        c.routing_id = b(b"me");
        let mut hs = Handshake::new(c);
        let mut buf =
            BytesMut::from(&[0xFF, 0, 0, 0, 0, 0, 0, 0, 4, 0x7F, 1, ZMQ_ROUTER as u8][..]);
        buf.extend_from_slice(b"\x00\x03abc\x01\x01x");
        let Progress::Done(est) = hs.input(&mut buf).unwrap() else {
            panic!()
        };
        assert_eq!(est.version, Version::V2);
        assert_eq!(&est.peer_routing_id[..], b"abc");
        assert_eq!(est.peer_socket_type, Some(ZMQ_ROUTER));
        assert!(est.properties.is_empty());
        assert_eq!(&buf[..], b"\x01\x01x");
        assert_eq!(
            &est.output[..],
            &[
                0xFF,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                3,
                0x7F,
                3,
                ZMQ_DEALER as u8,
                0,
                2,
                b'm',
                b'e'
            ]
        );
    }

    #[test]
    fn zmtp_1_0_versioned_peer_uses_1_0_framing() {
        let mut hs = Handshake::new(cfg(ZMQ_PUSH));
        let mut buf =
            BytesMut::from(&[0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 0, ZMQ_PULL as u8, 1, 0][..]);
        let Progress::Done(est) = hs.input(&mut buf).unwrap() else {
            panic!()
        };
        assert_eq!(est.version, Version::V1);
        assert!(est.peer_routing_id.is_empty());
        assert_eq!(&est.output[10..], &[3, ZMQ_PUSH as u8, 1, 0]);
    }

    #[test]
    fn zmtp_1_0_unversioned_peer_falls_back() {
        let mut c = cfg(ZMQ_PUB);
        c.routing_id = b(b"pub");
        let mut hs = Handshake::new(c);
        // Identity "abc" (size 4, flags 0), then a message "hi".
        let mut buf = BytesMut::from(&b"\x04\x00abc\x03\x00hi"[..]);
        let Progress::Done(mut est) = hs.input(&mut buf).unwrap() else {
            panic!()
        };
        assert_eq!(est.version, Version::V1);
        assert_eq!(est.peer_socket_type, None);
        assert_eq!(&est.peer_routing_id[..], b"abc");
        assert!(est.subscribe_all_required);
        // Signature (= identity header) then the identity body.
        assert_eq!(
            &est.output[..],
            b"\xff\x00\x00\x00\x00\x00\x00\x00\x04\x7fpub"
        );
        let f = est.decoder.decode(&mut buf).unwrap().unwrap();
        assert_eq!(&f.body[..], b"hi");
    }

    #[test]
    fn legacy_fallbacks_survive_random_splits() {
        let mut rng = XorShift::new(7);
        let v1 = b"\x04\x00abc\x03\x01hi\x02\x00x".to_vec();
        let mut v2 = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 1, ZMQ_PULL as u8];
        v2.extend_from_slice(b"\x00\x03abc\x01\x02hi\x00\x01x");
        for round in 0..500 {
            let (data, version) = if round % 2 == 0 {
                (&v1, Version::V1)
            } else {
                (&v2, Version::V2)
            };
            let mut hs = Handshake::new(cfg(ZMQ_PUSH));
            let mut buf = BytesMut::new();
            let mut pos = 0;
            let mut est = None;
            while pos < data.len() {
                let n = 1 + rng.below(data.len() - pos);
                buf.extend_from_slice(&data[pos..pos + n]);
                pos += n;
                if est.is_none() {
                    if let Progress::Done(e) = hs.input(&mut buf).unwrap() {
                        est = Some(e);
                    }
                }
            }
            let mut est = est.expect("done");
            assert_eq!(
                (est.version, &est.peer_routing_id[..]),
                (version, &b"abc"[..])
            );
            let f1 = est.decoder.decode(&mut buf).unwrap().unwrap();
            let f2 = est.decoder.decode(&mut buf).unwrap().unwrap();
            assert_eq!(
                (&f1.body[..], f1.more, &f2.body[..], f2.more),
                (&b"hi"[..], true, &b"x"[..], false)
            );
            assert!(buf.is_empty());
        }
    }

    #[test]
    fn zmtp_1_0_long_identity_detected_at_octet_9() {
        let mut hs = Handshake::new(cfg(ZMQ_PULL));
        let id = [b'i'; 254];
        let mut buf = BytesMut::from(&[0xFF, 0, 0, 0, 0, 0, 0, 0, 255, 0][..]);
        buf.extend_from_slice(&id);
        let Progress::Done(est) = hs.input(&mut buf).unwrap() else {
            panic!()
        };
        assert_eq!(est.peer_routing_id.len(), 254);
        assert!(!est.subscribe_all_required);
    }

    #[test]
    fn legacy_peers_refused_when_security_on() {
        let v1 = b"\x04\x00abc".to_vec();
        let v2 = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 1, 5];
        for bytes in [v1, v2] {
            let mut hs = Handshake::new(plain(ZMQ_ROUTER, true));
            assert_eq!(
                hs.input(&mut BytesMut::from(&bytes[..])).unwrap_err(),
                HandshakeError::LegacyPeerRejected
            );
            let mut c = cfg(ZMQ_ROUTER);
            c.zap_domain = b(b"d");
            let mut hs = Handshake::new(c);
            let e = hs.input(&mut BytesMut::from(&bytes[..])).unwrap_err();
            assert_eq!(
                (e.clone(), e.event()),
                (HandshakeError::LegacyPeerRejected, None)
            );
        }
    }

    #[test]
    fn message_frame_during_handshake_is_unexpected() {
        let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
        let mut buf = BytesMut::from(&LIBZMQ_NULL_GREETING[..]);
        buf.extend_from_slice(b"\x00\x06\x05READY");
        assert_eq!(
            hs.input(&mut buf).unwrap_err(),
            HandshakeError::Protocol(code::ZMTP_UNEXPECTED_COMMAND)
        );
    }

    #[test]
    fn oversized_command_fails_on_its_header() {
        let mut c = cfg(ZMQ_ROUTER);
        c.max_msg_size = 10;
        let mut hs = Handshake::new(c);
        let mut buf = BytesMut::from(&libzmq_dealer_bytes()[..66]);
        let e = hs.input(&mut buf).unwrap_err();
        assert_eq!(
            e,
            HandshakeError::Frame(ProtocolError::TooLarge { size: 41, max: 10 })
        );
        assert_eq!(e.event(), None);
        assert_eq!(e.errno(), crate::zmtp::error::errno::EMSGSIZE);
    }

    /// A peer's 64-octet greeting: ZMTP 3.`minor` with `mechanism`.
    fn greeting(minor: u8, mechanism: &[u8]) -> Vec<u8> {
        let mut g = LIBZMQ_NULL_GREETING.to_vec();
        g[11] = minor;
        g[12..32].copy_from_slice(&crate::zmtp::greeting::mechanism_field(mechanism));
        g
    }

    /// A long-form ZMTP 2.0/3.x frame header announcing `len` bytes.
    fn long_header(flags: u8, len: u64) -> Vec<u8> {
        let mut h = vec![flags | 0x02];
        h.extend_from_slice(&len.to_be_bytes());
        h
    }

    /// Every mechanism role: the config and its greeting's mechanism name.
    fn every_role() -> Vec<HandshakeConfig> {
        let (curve_srv, spk) = curve_server(ZMQ_ROUTER);
        vec![
            cfg(ZMQ_ROUTER),
            cfg(ZMQ_DEALER),
            plain(ZMQ_REP, true),
            plain(ZMQ_REQ, false),
            curve_srv,
            curve(ZMQ_DEALER, false, spk),
        ]
    }

    #[test]
    fn huge_handshake_commands_fail_on_their_header_in_every_role() {
        // Before authentication nothing announced is buffered or allocated:
        // the header alone ends the handshake, whatever follows.
        let sizes = [
            HANDSHAKE_FRAME_MAX as u64 + 1,
            1 << 30,
            1 << 40,
            1 << 62,
            (1 << 63) - 1,
            u64::MAX,
        ];
        for c in every_role() {
            for minor in [0u8, 1] {
                for len in sizes {
                    for flags in [0x04u8, 0x00] {
                        let mech = c.mechanism.name();
                        let mut hs = Handshake::new(c.clone());
                        let mut buf = BytesMut::from(&greeting(minor, mech)[..]);
                        buf.extend_from_slice(&long_header(flags, len));
                        let e = hs.input(&mut buf).unwrap_err();
                        assert!(
                            matches!(e, HandshakeError::Frame(ProtocolError::TooLarge { .. })),
                            "{mech:?} 3.{minor} {len} {flags}: {e:?}"
                        );
                        assert_eq!(e.event(), None, "libzmq: no handshake event");
                        // Sticky: more bytes change nothing.
                        buf.extend_from_slice(&[0u8; 1024]);
                        assert!(hs.input(&mut buf).is_err());
                    }
                }
            }
        }
    }

    #[test]
    fn handshake_limit_is_64k_and_maxmsgsize_when_smaller() {
        assert_eq!(handshake_frame_limit(-1), HANDSHAKE_FRAME_MAX as i64);
        assert_eq!(handshake_frame_limit(10), 10);
        assert_eq!(handshake_frame_limit(1 << 40), HANDSHAKE_FRAME_MAX as i64);
        // Exactly the limit passes the header check (and waits for the
        // body); one more is refused.
        let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
        let mut buf = BytesMut::from(&LIBZMQ_NULL_GREETING[..]);
        buf.extend_from_slice(&long_header(0x04, HANDSHAKE_FRAME_MAX as u64));
        assert!(matches!(hs.input(&mut buf).unwrap(), Progress::NeedMore));
        let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
        let mut buf = BytesMut::from(&LIBZMQ_NULL_GREETING[..]);
        buf.extend_from_slice(&long_header(0x04, HANDSHAKE_FRAME_MAX as u64 + 1));
        assert_eq!(
            hs.input(&mut buf).unwrap_err(),
            HandshakeError::Frame(ProtocolError::TooLarge {
                size: HANDSHAKE_FRAME_MAX as u64 + 1,
                max: HANDSHAKE_FRAME_MAX as i64
            })
        );
    }

    #[test]
    fn large_metadata_within_the_limit_still_works_and_traffic_is_unbounded_again() {
        // 60 KiB of application metadata in READY: below the handshake
        // limit, so it passes; after the handshake the traffic decoder has
        // the socket's own limit (unlimited here), not the handshake's.
        let mut dealer = cfg(ZMQ_DEALER);
        dealer.app_metadata = vec![("X-Big".into(), Bytes::from(vec![b'v'; 60 * 1024]))];
        let (a, r) = run(dealer, cfg(ZMQ_ROUTER));
        let (_, mut r) = (a.est.unwrap(), r.est.unwrap());
        assert_eq!(r.property("X-Big").unwrap().len(), 60 * 1024);
        let mut big = BytesMut::new();
        crate::zmtp::codec::encode_frame(Version::V3_1, false, false, &[1; 200_000], &mut big);
        assert_eq!(
            r.decoder.decode(&mut big).unwrap().unwrap().body.len(),
            200_000
        );
        // More metadata than the limit: the peer is refused on the header.
        let mut dealer = cfg(ZMQ_DEALER);
        dealer.app_metadata = vec![("X-Big".into(), Bytes::from(vec![b'v'; 70 * 1024]))];
        let (_, r) = run(dealer, cfg(ZMQ_ROUTER));
        assert!(matches!(
            r.err,
            Some(HandshakeError::Frame(ProtocolError::TooLarge { .. }))
        ));
    }

    #[test]
    fn legacy_identity_frames_are_bounded_too() {
        // ZMTP 1.0 (unversioned: `01 00` is an empty identity, the next a
        // long frame) and 2.0/1.0-with-revision identity frames announcing
        // absurd sizes: refused on the header.
        for len in [HANDSHAKE_FRAME_MAX as u64 + 2, 1 << 62, u64::MAX] {
            // Unversioned peer whose identity frame itself is long.
            let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
            let mut buf = BytesMut::from(&[0xFFu8][..]);
            buf.extend_from_slice(&len.to_be_bytes());
            buf.extend_from_slice(&[0x00]);
            let e = hs.input(&mut buf).unwrap_err();
            assert!(
                matches!(e, HandshakeError::Frame(ProtocolError::TooLarge { .. })),
                "{len}: {e:?}"
            );
            // Revision 1 (2.0) greeting then a long identity frame.
            let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
            let mut buf =
                BytesMut::from(&[0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 1, ZMQ_DEALER as u8][..]);
            buf.extend_from_slice(&long_header(0, len));
            let e = hs.input(&mut buf).unwrap_err();
            assert!(
                matches!(e, HandshakeError::Frame(ProtocolError::TooLarge { .. })),
                "{len}: {e:?}"
            );
        }
        // The reproducer: an empty 1.0 identity, then a frame announcing
        // 2^62. The handshake ends well; the traffic decoder refuses
        // nothing by size (unlimited), so the I/O layer's body reader is
        // what must not allocate it (msg::pooled_buffer refuses it).
        let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
        let mut buf = BytesMut::from(&[0x01, 0x00, 0xFF][..]);
        buf.extend_from_slice(&(1u64 << 62).to_be_bytes());
        buf.extend_from_slice(&[0x00]);
        let Progress::Done(est) = hs.input(&mut buf).unwrap() else {
            panic!("not done")
        };
        assert_eq!(est.version, Version::V1);
        let h = est.decoder.large_header(&buf, 1).unwrap().unwrap();
        assert_eq!((h.header_len, h.body_len), (10, (1 << 62) - 1));
    }

    #[test]
    fn ready_metadata_is_validated_like_libzmq() {
        fn ready_with(props: &[u8]) -> Result<Progress, HandshakeError> {
            let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
            let mut buf = BytesMut::from(&LIBZMQ_NULL_GREETING[..]);
            let mut body = b"\x05READY".to_vec();
            body.extend_from_slice(props);
            crate::zmtp::codec::encode_frame(Version::V3_1, false, true, &body, &mut buf);
            hs.input(&mut buf)
        }
        fn prop(name: &[u8], value: &[u8]) -> Vec<u8> {
            let mut v = BytesMut::new();
            crate::zmtp::metadata::encode_property(name, value, &mut v);
            v.to_vec()
        }
        let dealer = prop(b"Socket-Type", b"DEALER");
        // Accepted by libzmq 4.3.4 (checked on the wire): a 300-octet
        // Identity (used as the routing id), no Socket-Type at all, an
        // empty name, a list ending after a name or after a value size.
        let mut p = dealer.clone();
        p.extend(prop(b"Identity", &[b'i'; 300]));
        let Ok(Progress::Done(est)) = ready_with(&p) else {
            panic!("300-octet identity")
        };
        assert_eq!(est.peer_routing_id.len(), 300);
        let Ok(Progress::Done(est)) = ready_with(&prop(b"Identity", b"abc")) else {
            panic!("no Socket-Type")
        };
        assert_eq!(est.peer_socket_type, None);
        assert_eq!(&est.peer_routing_id[..], b"abc");
        let mut p = dealer.clone();
        p.extend(prop(b"", b"x"));
        assert!(matches!(ready_with(&p), Ok(Progress::Done(_))));
        for tail in [&b"\x05Hello"[..], b"\x08Identity\x00\x00\x00\x09"] {
            let mut p = dealer.clone();
            p.extend_from_slice(tail);
            assert!(matches!(ready_with(&p), Ok(Progress::Done(_))), "{tail:?}");
        }
        // Refused, silently (no event, then DISCONNECTED), as libzmq: a
        // value cut short, a stray octet, a partial value size, an
        // incompatible Socket-Type anywhere in the list.
        let refused: [&[u8]; 4] = [
            b"\x0bSocket-Type\x00\x00\x00\xc8PUSH",
            b"\x05",
            b"\x05Hello\x00\x00",
            b"\x0bSocket-Type\x00\x00\x00\x03PUB",
        ];
        for tail in refused {
            let mut p = dealer.clone();
            p.extend_from_slice(tail);
            let e = ready_with(&p).unwrap_err();
            assert_eq!(e.event(), None, "{tail:?}: {e:?}");
        }
    }

    #[test]
    fn reserved_flags_in_handshake_fail() {
        let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
        let mut buf = BytesMut::from(&LIBZMQ_NULL_GREETING[..]);
        buf.extend_from_slice(&[0x84, 0]);
        assert_eq!(
            hs.input(&mut buf).unwrap_err(),
            HandshakeError::Frame(ProtocolError::ReservedFlags(0x84))
        );
    }

    #[test]
    fn malformed_ready_is_refused() {
        let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
        let mut buf = BytesMut::from(&LIBZMQ_NULL_GREETING[..]);
        buf.extend_from_slice(b"\x04\x09\x05READY\x01A\x00");
        assert_eq!(
            hs.input(&mut buf).unwrap_err(),
            HandshakeError::InvalidMetadata { reported: false }
        );
    }

    #[test]
    fn unknown_command_in_null_handshake_is_unexpected() {
        let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
        let mut buf = BytesMut::from(&LIBZMQ_NULL_GREETING[..]);
        buf.extend_from_slice(b"\x04\x05\x04JOIN");
        assert_eq!(
            hs.input(&mut buf).unwrap_err(),
            HandshakeError::Protocol(code::ZMTP_UNEXPECTED_COMMAND)
        );
    }

    #[test]
    fn errors_are_sticky_and_done_is_final() {
        let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
        let mut buf = BytesMut::from(&LIBZMQ_NULL_GREETING[..]);
        buf.extend_from_slice(b"\x00\x00");
        let e = hs.input(&mut buf).unwrap_err();
        assert_eq!(hs.input(&mut BytesMut::new()).unwrap_err(), e);
        assert_eq!(hs.zap_reply(ZapReply::NoHandler).unwrap_err(), e);

        let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
        assert!(matches!(
            hs.input(&mut BytesMut::from(&libzmq_dealer_bytes()[..])),
            Ok(Progress::Done(_))
        ));
        assert_eq!(
            hs.input(&mut BytesMut::new()).unwrap_err(),
            HandshakeError::InvalidState
        );
    }

    #[test]
    fn handshake_and_established_move_between_threads() {
        fn is_send<T: Send>() {}
        is_send::<Handshake>();
        is_send::<Established>();
    }

    #[test]
    fn unsolicited_zap_reply_is_invalid_state() {
        let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
        assert_eq!(
            hs.zap_reply(ZapReply::NoHandler).unwrap_err(),
            HandshakeError::InvalidState
        );
    }

    #[test]
    fn truncated_greeting_needs_more() {
        let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
        let mut buf = BytesMut::from(&LIBZMQ_NULL_GREETING[..40]);
        assert!(matches!(hs.input(&mut buf).unwrap(), Progress::NeedMore));
        assert!(buf.is_empty());
    }

    #[test]
    fn random_bytes_never_panic_the_handshake() {
        let mut rng = XorShift::new(42);
        let greet = LIBZMQ_NULL_GREETING;
        for round in 0..3000 {
            let mut c = if round % 2 == 0 {
                cfg(ZMQ_ROUTER)
            } else {
                plain(ZMQ_REP, true)
            };
            c.max_msg_size = [-1, 64][round % 2];
            let mut hs = Handshake::new(c);
            // Half the rounds start with a valid greeting to reach the
            // mechanism parsers.
            let mut data = if round % 4 < 2 {
                greet.to_vec()
            } else {
                Vec::new()
            };
            if round % 4 == 1 {
                data[12..17].copy_from_slice(b"PLAIN");
            }
            let n = rng.below(200);
            data.extend(rng.bytes(n));
            let mut buf = BytesMut::new();
            let mut pos = 0;
            while pos < data.len() {
                let n = 1 + rng.below(data.len() - pos);
                buf.extend_from_slice(&data[pos..pos + n]);
                pos += n;
                match hs.input(&mut buf) {
                    Ok(Progress::Zap(_)) => {
                        let _ = hs.zap_reply(allow(&ZapRequest {
                            domain: Bytes::new(),
                            routing_id: Bytes::new(),
                            mechanism: b"PLAIN",
                            credentials: vec![],
                        }));
                    }
                    Ok(Progress::NeedMore) => {}
                    Ok(Progress::Done(_)) | Err(_) => break,
                }
            }
        }
    }
}
