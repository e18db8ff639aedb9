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
//! Started `without_greeting` (ZWS 2.0), the handshake writes no ZMTP:
//! each command goes to `take_commands()` (then `est.commands`) as its
//! body, and the caller frames it in its own way (`WsEncoder::command`).
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

use super::codec::{encode_frame, Decoder, Encoder, Frame, ProtocolError, Version};
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
    Done(Box<Established>),
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
    /// The same, as command bodies, when the handshake ran without a
    /// greeting (ZWS 2.0): the caller frames them.
    pub commands: Vec<Bytes>,
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
                commands: None,
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

    /// Starts a handshake whose greeting a lower layer already settled
    /// (ZWS 2.0, RFC 45: the WebSocket subprotocol names the mechanism and
    /// there is no greeting): ZMTP 3.1 from the mechanism's first step on,
    /// its first command (if it speaks first) queued in `take_commands()`.
    /// Every command goes there as its body, for the lower layer to frame
    /// in its own way; `output()` stays empty.
    pub fn without_greeting(cfg: HandshakeConfig) -> Result<Self, HandshakeError> {
        let mut hs = Self::new(cfg);
        hs.shared.out.clear();
        hs.shared.commands = Some(Vec::new());
        let mut m = hs.mechanism_cfg.build();
        let started = m.start(&mut hs.shared);
        hs.mechanism = Some(m);
        hs.phase = Phase::Mechanism;
        hs.settle(started.map(|()| Progress::NeedMore))?;
        Ok(hs)
    }

    /// Bytes to write now. The caller writes some and removes them
    /// (`split_to(n)` / `advance(n)`).
    pub fn output(&mut self) -> &mut BytesMut {
        &mut self.shared.out
    }

    /// Without a greeting (`without_greeting`): the commands to send now,
    /// each a body (name size, name, data) for the caller to frame.
    /// Empty otherwise.
    pub fn take_commands(&mut self) -> Vec<Bytes> {
        self.shared
            .commands
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
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
        self.in_mechanism()?;
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
                    return Ok(Progress::Done(Box::new(self.establish(frame.body))));
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
            Self::command(m.as_mut(), frame, &mut self.shared)?;
        }
        Ok(self.after_commands())
    }

    /// One handshake frame for the mechanism: RFC 23 §Framing, the
    /// handshake is made of commands only.
    fn command(
        m: &mut dyn Mechanism,
        frame: Frame,
        shared: &mut Shared,
    ) -> Result<(), HandshakeError> {
        if !frame.command {
            return Err(HandshakeError::Protocol(code::ZMTP_UNEXPECTED_COMMAND));
        }
        m.process_command(frame.body, shared)
    }

    /// What the commands taken so far lead to: done, a ZAP request, or
    /// more input.
    fn after_commands(&mut self) -> Progress {
        let progress = self.check_ready();
        if matches!(progress, Progress::NeedMore) {
            if let Some(req) = self.shared.zap_request.take() {
                return Progress::Zap(req);
            }
        }
        progress
    }

    /// Without a greeting (ZWS 2.0): one frame the lower layer took off
    /// the wire itself, checked against the same size limit as a ZMTP
    /// handshake frame. The lower layer hands frames one at a time and
    /// only while the handshake asks for more (`NeedMore`).
    pub fn input_frame(&mut self, frame: Frame) -> Result<Progress, HandshakeError> {
        let r = self.frame_step(frame);
        self.settle(r)
    }

    /// Ok while the mechanism runs; the failure that ended the handshake,
    /// or InvalidState in any other phase.
    fn in_mechanism(&self) -> Result<(), HandshakeError> {
        match &self.phase {
            Phase::Mechanism => Ok(()),
            Phase::Failed(e) => Err(e.clone()),
            _ => Err(HandshakeError::InvalidState),
        }
    }

    fn frame_step(&mut self, frame: Frame) -> Result<Progress, HandshakeError> {
        self.in_mechanism()?;
        let max = handshake_frame_limit(self.max_msg_size);
        if frame.body.len() as u64 > max as u64 {
            return Err(HandshakeError::Frame(ProtocolError::TooLarge {
                size: frame.body.len() as u64,
                max,
            }));
        }
        let Some(m) = self.mechanism.as_mut() else {
            return Err(HandshakeError::InvalidState);
        };
        if !m.awaits_command() {
            return Err(HandshakeError::InvalidState);
        }
        Self::command(m.as_mut(), frame, &mut self.shared)?;
        Ok(self.after_commands())
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
        Progress::Done(Box::new(est))
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
            commands: self.take_commands(),
            subscribe_all_required: self.subscribe_all_required,
            cipher: None,
        }
    }
}

#[cfg(test)]
mod tests;
