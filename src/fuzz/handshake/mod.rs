//! Handshakes: the `Driver` that checks a handshake step by step, the
//! NULL, PLAIN and CURVE mechanisms both ways (`handshake_*`, this file);
//! the greeting and version fallback (`greetings.rs`), property lists
//! (`props.rs`) and ZAP replies (`zap_replies.rs`).

mod greetings;
mod props;
mod zap_replies;

pub use greetings::greeting;
pub use props::metadata;
pub use zap_replies::zap_reply;

use bytes::{Bytes, BytesMut};
use std::sync::OnceLock;

use super::*;
use crate::zmtp::codec::{Decoder, Frame, Version};
use crate::zmtp::command::{encode_pong, PING_MAX_CONTEXT};
use crate::zmtp::greeting::{GreetingExchange, PeerGreeting};
use crate::zmtp::handshake::{Established, Handshake, HandshakeConfig, Progress};
use crate::zmtp::mechanism::curve::{public_of, FLAG_COMMAND, FLAG_MORE};
use crate::zmtp::mechanism::MechanismConfig;
use crate::zmtp::metadata::{self, encode_property};
use crate::zmtp::socket_type::*;
use crate::zmtp::subscription::Subscription;
use crate::zmtp::traffic::{classify, Inbound};
use crate::zmtp::zap::{parse_reply, ZapReply, ZapRequest};
use crate::zmtp::HandshakeError;
/// What a fake ZAP handler answers.
#[derive(Clone, Copy, Debug)]
pub(super) enum ZapPolicy {
    Allow,
    AllowWithMetadata,
    Status(&'static [u8]),
    NoHandler,
    Malformed,
    BadSocketType,
}

impl ZapPolicy {
    fn from_bits(b: u8) -> ZapPolicy {
        match b & 7 {
            0 | 7 => ZapPolicy::Allow,
            1 => ZapPolicy::AllowWithMetadata,
            2 => ZapPolicy::Status(b"300"),
            3 => ZapPolicy::Status(b"400"),
            4 => ZapPolicy::NoHandler,
            5 => ZapPolicy::Malformed,
            _ => ZapPolicy::BadSocketType,
        }
    }

    pub(super) fn reply(self) -> ZapReply {
        let meta = |name: &[u8], value: &[u8]| {
            let mut m = BytesMut::new();
            encode_property(name, value, &mut m);
            m.freeze()
        };
        let user = Bytes::from_static(b"fuzz-user");
        match self {
            ZapPolicy::Allow => ZapReply::from_status(b"200", user, Bytes::new()),
            ZapPolicy::AllowWithMetadata => {
                ZapReply::from_status(b"200", user, meta(b"X-Zap", b"yes"))
            }
            ZapPolicy::Status(s) => ZapReply::from_status(s, Bytes::new(), Bytes::new()),
            ZapPolicy::NoHandler => ZapReply::NoHandler,
            ZapPolicy::Malformed => {
                ZapReply::Frames(vec![Bytes::new(), Bytes::from_static(b"1.0")])
            }
            ZapPolicy::BadSocketType => {
                ZapReply::from_status(b"200", user, meta(b"Socket-Type", b"NOPE"))
            }
        }
    }
}

enum DriverState {
    Running,
    Done(Box<Established>),
    Closed,
}

/// One side of a connection: a `Handshake` fed by `feed`, then, once
/// established, the traffic decoder (and CURVE cipher) and `classify`, as
/// the read pump does. Checks the engine's promises on every step.
pub(super) struct Driver {
    hs: Handshake,
    pub(super) cfg: HandshakeConfig,
    zap: ZapPolicy,
    zaps: usize,
    inbuf: BytesMut,
    state: DriverState,
    /// Every traffic frame received (after the CURVE box is opened).
    pub(super) received: Vec<Frame>,
}

impl Driver {
    pub(super) fn new(cfg: HandshakeConfig, zap: ZapPolicy) -> Driver {
        Driver {
            hs: Handshake::new(cfg.clone()),
            cfg,
            zap,
            zaps: 0,
            inbuf: BytesMut::new(),
            state: DriverState::Running,
            received: Vec::new(),
        }
    }

    /// Bytes this side has queued for its peer.
    pub(super) fn output(&mut self) -> BytesMut {
        match &mut self.state {
            DriverState::Done(est) => est.output.split(),
            _ => self.hs.output().split(),
        }
    }

    pub(super) fn established(&mut self) -> Option<&mut Established> {
        match &mut self.state {
            DriverState::Done(est) => Some(est),
            _ => None,
        }
    }

    pub(super) fn feed(&mut self, bytes: &[u8]) {
        self.inbuf.extend_from_slice(bytes);
        match self.state {
            DriverState::Running => self.handshake(),
            DriverState::Done(_) => self.traffic(),
            DriverState::Closed => self.inbuf.clear(),
        }
    }

    fn input(&mut self) -> Result<Progress, HandshakeError> {
        let before = self.inbuf.len();
        let r = self.hs.input(&mut self.inbuf);
        assert!(self.inbuf.len() <= before, "the handshake gave bytes back");
        r
    }

    fn handshake(&mut self) {
        let mut r = self.input();
        loop {
            match r {
                Ok(Progress::NeedMore) => return,
                Ok(Progress::Zap(req)) => {
                    self.zaps += 1;
                    assert_eq!(self.zaps, 1, "ZAP asked twice");
                    self.check_zap_request(&req);
                    r = match self.hs.zap_reply(self.zap.reply()) {
                        Ok(Progress::NeedMore) => self.input(),
                        other => other,
                    };
                }
                Ok(Progress::Done(est)) => {
                    self.check_established(&est);
                    assert_eq!(
                        self.hs.input(&mut BytesMut::new()).unwrap_err(),
                        HandshakeError::InvalidState
                    );
                    self.state = DriverState::Done(est);
                    self.traffic();
                    return;
                }
                Err(e) => {
                    let _ = (e.event(), e.errno(), e.to_string());
                    // Failure is final.
                    assert_eq!(self.hs.input(&mut BytesMut::new()).unwrap_err(), e);
                    assert_eq!(self.hs.zap_reply(ZapReply::NoHandler).unwrap_err(), e);
                    self.state = DriverState::Closed;
                    self.inbuf.clear();
                    return;
                }
            }
        }
    }

    fn check_zap_request(&self, req: &ZapRequest) {
        assert_eq!(req.mechanism, self.cfg.mechanism.name());
        let creds = match self.cfg.mechanism {
            MechanismConfig::Null => {
                assert!(
                    !self.cfg.zap_domain.is_empty(),
                    "NULL asked ZAP without a domain"
                );
                0
            }
            MechanismConfig::Plain { server, .. } => {
                assert!(server, "a PLAIN client asked ZAP");
                2
            }
            MechanismConfig::Curve { server, .. } => {
                assert!(server, "a CURVE client asked ZAP");
                assert_eq!(req.credentials.first().map(|k| k.len()), Some(32));
                1
            }
        };
        assert_eq!(req.credentials.len(), creds);
        assert!(req.credentials.iter().all(|c| c.len() <= 255));
        assert_eq!(req.frames(b"127.0.0.1").len(), 7 + creds);
        assert_eq!(req.domain, self.cfg.zap_domain);
    }

    fn check_established(&self, est: &Established) {
        assert_eq!(est.decoder.version(), est.version);
        assert_eq!(est.encoder.version(), est.version);
        assert_eq!(est.decoder.max_msg_size(), self.cfg.max_msg_size);
        let name = self.cfg.mechanism.name();
        if est.version.has_commands() {
            assert_eq!(est.mechanism.as_bytes(), name);
            assert_eq!(est.cipher.is_some(), name == b"CURVE");
        } else {
            assert_eq!(est.mechanism, "NULL");
            assert!(est.cipher.is_none() && est.properties.is_empty());
            // RFC 37: a 1.0/2.0 peer is refused when security or ZAP is on.
            assert_eq!(name, b"NULL");
            assert!(self.cfg.zap_domain.is_empty());
        }
        if let Some(t) = est.peer_socket_type {
            assert!((0..=255).contains(&t));
        }
        if !est.user_id.is_empty() {
            assert_eq!(self.zaps, 1);
        }
    }

    /// The read pump's loop over an established connection's bytes.
    fn traffic(&mut self) {
        let DriverState::Done(est) = &mut self.state else {
            return;
        };
        loop {
            let before = self.inbuf.len();
            let frame = match est.decoder.decode(&mut self.inbuf) {
                Ok(Some(f)) => f,
                Ok(None) => {
                    assert_eq!(self.inbuf.len(), before);
                    assert!(est.decoder.needed(&self.inbuf) > before);
                    return;
                }
                Err(_) => break,
            };
            let frame = match &mut est.cipher {
                None => frame,
                Some(c) => match c.rx.open(&frame.body) {
                    Ok((flags, body)) => Frame {
                        more: flags & FLAG_MORE != 0,
                        command: flags & FLAG_COMMAND != 0,
                        body,
                    },
                    Err(_) => break,
                },
            };
            self.received.push(frame.clone());
            match classify(frame) {
                Inbound::Ping { context, .. } => {
                    let mut out = BytesMut::new();
                    encode_pong(est.version, &context, &mut out);
                    assert!(out.len() <= 10 + 1 + 4 + PING_MAX_CONTEXT);
                }
                Inbound::Subscribe(t) => {
                    assert_eq!(Subscription::Subscribe(t.clone()).to_message()[1..], t[..])
                }
                Inbound::Message(_)
                | Inbound::Pong { .. }
                | Inbound::Cancel(_)
                | Inbound::Group(_)
                | Inbound::Ignored => {}
            }
        }
        self.state = DriverState::Closed;
        self.inbuf.clear();
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Mech {
    Null,
    Plain,
    Curve,
}

/// The greeting name of a mechanism.
pub(super) fn mech_name(m: Mech) -> &'static [u8] {
    match m {
        Mech::Null => b"NULL",
        Mech::Plain => b"PLAIN",
        Mech::Curve => b"CURVE",
    }
}

/// (server public, server secret, client public, client secret).
pub(super) type Keys = ([u8; 32], [u8; 32], [u8; 32], [u8; 32]);

/// Fixed long-term CURVE keys, so that inputs replay the same way.
pub(super) fn curve_keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let (ss, cs) = ([0x51u8; 32], [0xC1u8; 32]);
        (public_of(&ss), ss, public_of(&cs), cs)
    })
}

/// Socket type pairs (target, peer); the last one is incompatible.
const PAIRS: [(i32, i32); 8] = [
    (ZMQ_DEALER, ZMQ_ROUTER),
    (ZMQ_ROUTER, ZMQ_DEALER),
    (ZMQ_REQ, ZMQ_REP),
    (ZMQ_REP, ZMQ_REQ),
    (ZMQ_XPUB, ZMQ_SUB),
    (ZMQ_SUB, ZMQ_PUB),
    (ZMQ_PUSH, ZMQ_PULL),
    (ZMQ_PAIR, ZMQ_PUSH),
];

/// The configurations of the side under test and of its honest peer.
///
/// `roles`: bit 0 the side under test is the PLAIN/CURVE server, bits 5-7
/// the socket type pair. `opts`: bits 0-2 the ZAP policy, bit 3 a ZAP
/// domain, bit 4 ZAP_ENFORCE_DOMAIN, bit 5 routing ids, bit 6 application
/// metadata, bit 7 a variant (NULL: MAXMSGSIZE 64; PLAIN: 255-octet
/// credentials; CURVE: the client has the wrong server key).
pub(super) fn pair_configs(mech: Mech, roles: u8, opts: u8) -> (HandshakeConfig, HandshakeConfig) {
    let server = roles & 1 != 0;
    let (ours, theirs) = PAIRS[usize::from(roles >> 5)];
    let variant = opts & 0x80 != 0;
    let mech_cfg = |as_server: bool| match mech {
        Mech::Null => MechanismConfig::Null,
        Mech::Plain => MechanismConfig::Plain {
            server: as_server,
            username: if variant {
                Bytes::from(vec![b'u'; 255])
            } else {
                Bytes::from_static(b"admin")
            },
            password: Bytes::from_static(b"secret"),
        },
        Mech::Curve => {
            let (spk, ssk, cpk, csk) = *curve_keys();
            if as_server {
                MechanismConfig::Curve {
                    server: true,
                    public_key: spk,
                    secret_key: ssk,
                    server_key: [0; 32],
                }
            } else {
                MechanismConfig::Curve {
                    server: false,
                    public_key: cpk,
                    secret_key: csk,
                    server_key: if variant { cpk } else { spk },
                }
            }
        }
    };
    let side = |socket_type: i32, as_server: bool, id: &'static [u8]| HandshakeConfig {
        socket_type,
        routing_id: if opts & 0x20 != 0 {
            Bytes::from_static(id)
        } else {
            Bytes::new()
        },
        mechanism: mech_cfg(as_server),
        app_metadata: if opts & 0x40 != 0 {
            vec![("X-Fuzz".into(), Bytes::from_static(id))]
        } else {
            Vec::new()
        },
        ..Default::default()
    };
    let mut t = side(ours, server, b"target-id");
    let p = side(theirs, !server, b"peer-id");
    if opts & 0x08 != 0 {
        t.zap_domain = Bytes::from_static(b"global");
    }
    t.zap_enforce_domain = opts & 0x10 != 0;
    if mech == Mech::Null && variant {
        t.max_msg_size = 64;
    }
    (t, p)
}

/// Patches are `(offset, xor)`: a zero xor truncates the unit there.
fn apply_patches(unit: &mut Vec<u8>, patches: &[u8]) {
    for p in patches.chunks_exact(3) {
        let off = usize::from(u16::from_be_bytes([p[0], p[1]]));
        if p[2] == 0 {
            unit.truncate(off % (unit.len() + 1));
        } else if !unit.is_empty() {
            let i = off % unit.len();
            unit[i] ^= p[2];
        }
    }
}

/// A handshake target for one mechanism. Input:
/// `roles opts chunking stage npatch patches[3*npatch] tail`.
///
/// - raw mode (roles bit 1, or stage 0): the side under test reads a 3.1
///   greeting announcing `mech` (patched), then `tail`.
/// - pair mode: a real peer (the other role) handshakes honestly with it;
///   its first `stage - 1` commands arrive intact, the `stage`-th is
///   patched (xor or truncation), then `tail` follows instead of the rest.
///   A stage beyond the handshake lets both sides finish; `tail` is then
///   traffic: raw bytes, or (roles bit 4) records `flags len body` the
///   peer frames properly (CURVE: seals in MESSAGE boxes), so fuzzed
///   content reaches `classify` behind valid framing and crypto.
fn handshake_target(mech: Mech, data: &[u8]) {
    let mut inp = Input(data);
    let roles = inp.u8();
    let opts = inp.u8();
    let mut chunks = Chunker::new(inp.u8());
    let stage = usize::from(inp.u8() % 16);
    let npatch = usize::from(inp.u8() % 8);
    let patches = inp.bytes(3 * npatch);
    let tail = inp.rest();
    let (tcfg, pcfg) = pair_configs(mech, roles, opts);
    let mut target = Driver::new(tcfg, ZapPolicy::from_bits(opts));

    if roles & 2 != 0 || stage == 0 {
        let mut g = v3_greeting(mech_name(mech)).to_vec();
        apply_patches(&mut g, patches);
        g.extend_from_slice(tail);
        chunks.split(&g, |p| target.feed(p));
        return;
    }

    let mut peer = Driver::new(pcfg, ZapPolicy::Allow);
    let mut pending = BytesMut::new();
    let mut greeting_left = 64usize;
    let mut units = 0usize;
    let mut fuzzing = false;
    for _ in 0..64 {
        let mut moved = false;
        let out = target.output();
        if !out.is_empty() {
            moved = true;
            peer.feed(&out);
        }
        pending.extend_from_slice(&peer.output());
        let g = greeting_left.min(pending.len());
        if g > 0 {
            moved = true;
            greeting_left -= g;
            let bytes = pending.split_to(g);
            chunks.split(&bytes, |p| target.feed(p));
        }
        while greeting_left == 0 && !pending.is_empty() {
            let n = Decoder::new(Version::V3_1, -1).needed(&pending);
            if pending.len() < n {
                break;
            }
            let mut unit = pending.split_to(n.max(1)).to_vec();
            moved = true;
            units += 1;
            if units == stage {
                apply_patches(&mut unit, patches);
                fuzzing = true;
            }
            chunks.split(&unit, |p| target.feed(p));
            if fuzzing {
                break;
            }
        }
        if fuzzing || !moved {
            break;
        }
    }
    if !fuzzing && roles & 0x10 != 0 {
        // Both sides done: the peer frames (and seals) fuzzed records, and
        // when both are established with no size limit each must arrive
        // exactly as sent (framing and CURVE boxes both ways are honest).
        let checked = target.established().is_some()
            && peer.established().is_some()
            && target.cfg.max_msg_size < 0;
        let mut want = Vec::new();
        let mut recs = Input(tail);
        while !recs.is_empty() {
            let flags = recs.u8();
            let len = usize::from(recs.u8());
            let body = recs.bytes(len);
            let mut wire = BytesMut::new();
            match peer.established() {
                Some(est) => match &mut est.cipher {
                    Some(c) => {
                        c.tx.seal(flags & 3, body, &mut wire);
                        want.push((flags & 1 != 0, flags & 2 != 0, body.to_vec()));
                    }
                    None if flags & 2 != 0 && !body.is_empty() => {
                        est.encoder.command(&body[..1], &body[1..], &mut wire);
                        want.push((false, true, [&[1u8][..], body].concat()));
                    }
                    None => {
                        est.encoder.message(flags & 1 != 0, body, &mut wire);
                        want.push((flags & 1 != 0, false, body.to_vec()));
                    }
                },
                None => wire.extend_from_slice(body),
            }
            chunks.split(&wire, |p| target.feed(p));
        }
        if checked {
            assert!(
                target.established().is_some(),
                "honest traffic closed the connection"
            );
            let got: Vec<(bool, bool, Vec<u8>)> = target
                .received
                .iter()
                .map(|f| (f.more, f.command, f.body.to_vec()))
                .collect();
            assert_eq!(got, want, "honest traffic arrived changed");
        }
    } else {
        chunks.split(tail, |p| target.feed(p));
    }
}

/// NULL handshakes (READY exchange, ZAP with a domain), both roles.
pub fn handshake_null(data: &[u8]) {
    handshake_target(Mech::Null, data);
}

/// PLAIN handshakes (HELLO, WELCOME, INITIATE, READY, ZAP), client and server.
pub fn handshake_plain(data: &[u8]) {
    handshake_target(Mech::Plain, data);
}

/// CURVE handshakes (HELLO, WELCOME, INITIATE, READY, ZAP, MESSAGE boxes),
/// client and server.
pub fn handshake_curve(data: &[u8]) {
    handshake_target(Mech::Curve, data);
}
