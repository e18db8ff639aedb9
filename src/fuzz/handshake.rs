//! Handshakes: greeting and version fallback, the NULL, PLAIN and CURVE
//! mechanisms both ways, ZAP replies, metadata.

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

/// A property list walked as libzmq 4.3.x `mechanism_t::parse_metadata`
/// does (the reference for `metadata::parse`): while more than one octet
/// is left, a name size, the name, a value size, the value; a part running
/// past the end stops the walk; anything left over is an error.
fn ref_metadata(d: &[u8]) -> Option<Vec<(&[u8], &[u8])>> {
    let mut props = Vec::new();
    let mut pos = 0;
    while d.len() - pos > 1 {
        let n = usize::from(d[pos]);
        pos += 1;
        if d.len() - pos < n {
            break;
        }
        let name = &d[pos..pos + n];
        pos += n;
        if d.len() - pos < 4 {
            break;
        }
        let v = u32::from_be_bytes([d[pos], d[pos + 1], d[pos + 2], d[pos + 3]]) as usize;
        pos += 4;
        if d.len() - pos < v {
            break;
        }
        props.push((name, &d[pos..pos + v]));
        pos += v;
    }
    (pos == d.len()).then_some(props)
}

/// Checks `metadata::parse(list)` against `ref_metadata`; returns the
/// parsed list.
pub(super) fn check_metadata(list: &Bytes) -> Option<Vec<crate::zmtp::metadata::Property>> {
    let parsed = metadata::parse(list);
    let reference = ref_metadata(list);
    match (&parsed, &reference) {
        (Ok(props), Some(r)) => {
            assert_eq!(props.len(), r.len());
            let mut again = BytesMut::new();
            for ((n, v), (rn, rv)) in props.iter().zip(r) {
                assert_eq!(*n, String::from_utf8_lossy(rn));
                assert_eq!(&v[..], *rv);
                // By hand: `encode_property` takes only the 1-255 octet
                // names we send, and a peer's may be empty.
                again.extend_from_slice(&[rn.len() as u8]);
                again.extend_from_slice(rn);
                again.extend_from_slice(&(rv.len() as u32).to_be_bytes());
                again.extend_from_slice(rv);
            }
            // What the properties re-encode to is the list, minus a
            // trailing name (and value size) libzmq ignores.
            assert!(list.starts_with(&again));
            let tail = &list[again.len()..];
            assert!(tail.len() != 1, "a one-octet tail was accepted");
            if !tail.is_empty() {
                let n = usize::from(tail[0]);
                assert!(tail.len() == 1 + n || tail.len() == 5 + n);
            }
            for (n, _) in props {
                let first = props.iter().find(|(m, _)| m == n).map(|(_, v)| v);
                assert_eq!(metadata::lookup(props, n), first);
            }
        }
        (Err(_), None) => {}
        (got, want) => panic!("metadata::parse {got:?}, libzmq's walk {want:?}"),
    }
    parsed.ok()
}

/// Property lists (READY, INITIATE, ZAP metadata): `metadata::parse`
/// accepts and refuses exactly what libzmq's walk does (checked against
/// `ref_metadata`), values are the listed octets; and a NULL handshake
/// whose READY carries the list completes only if it parses and every
/// Socket-Type in it is compatible (the engine may refuse more).
pub fn metadata(data: &[u8]) {
    let mut inp = Input(data);
    let socket_type = i32::from(inp.u8() % 21);
    let list = Bytes::copy_from_slice(inp.rest());
    let parsed = check_metadata(&list).ok_or(());

    // The same list as a peer's READY.
    let mut hs = Handshake::new(HandshakeConfig {
        socket_type,
        ..Default::default()
    });
    let mut wire = BytesMut::from(&null_greeting()[..]);
    crate::zmtp::codec::encode_command(Version::V3_1, b"READY", &list, &mut wire);
    match hs.input(&mut wire) {
        Ok(Progress::Done(est)) => {
            let props = parsed.expect("a READY that does not parse was accepted");
            for (n, v) in &props {
                assert!(n != "Socket-Type" || compatible(socket_type, v));
            }
            assert_eq!(est.properties, props);
            let id = props.iter().rev().find(|(n, _)| n == "Identity");
            assert_eq!(
                est.peer_routing_id,
                id.map(|(_, v)| v.clone()).unwrap_or_default()
            );
            assert!(wire.is_empty());
        }
        Ok(Progress::NeedMore | Progress::Zap(_)) => {
            panic!("a whole READY left the handshake waiting")
        }
        Err(_) => {}
    }
}

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
                    self.state = DriverState::Done(Box::new(est));
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

/// The greeting and version fallback: any configuration (mechanism,
/// role, socket type, ZAP domain, MAXMSGSIZE, routing id) fed raw bytes,
/// then traffic. `GreetingExchange` alone is checked too: it reads no
/// further than the greeting it detects (10 octets at most for an
/// unversioned peer, 12 for revision 0/1, 64 for 3.x) and answers with
/// the stages libzmq sends.
pub fn greeting(data: &[u8]) {
    let mut inp = Input(data);
    let b0 = inp.u8();
    let b1 = inp.u8();
    let mut chunks = Chunker::new(inp.u8());
    let stream = inp.rest();
    let mech = [Mech::Null, Mech::Plain, Mech::Curve][usize::from(b0 & 3) % 3];
    let (mut cfg, _) = pair_configs(mech, ((b0 >> 2) & 1) | (b0 & 0xE0), b1);
    if b0 & 0x10 != 0 {
        cfg.max_msg_size = i64::from(b1);
    }

    // The greeting exchange alone.
    let rid_len = cfg.routing_id.len();
    let mut out = BytesMut::new();
    let mut g = GreetingExchange::new(rid_len, cfg.socket_type, cfg.mechanism.name(), &mut out);
    assert_eq!(
        out[..],
        [0xFF, 0, 0, 0, 0, 0, 0, 0, rid_len as u8 + 1, 0x7F]
    );
    let mut consumed = 0usize;
    let mut peer: Option<PeerGreeting> = None;
    chunks.split(stream, |piece| {
        let mut buf = BytesMut::from(piece);
        let r = g.input(&mut buf, &mut out);
        let used = piece.len() - buf.len();
        if peer.is_some() {
            assert!(
                r.is_none() && used == 0,
                "the greeting read on after it ended"
            );
            return;
        }
        consumed += used;
        assert!(consumed <= 64);
        match r {
            None => assert!(buf.is_empty(), "the greeting stopped reading too early"),
            Some(p) => peer = Some(p),
        }
    });
    match &peer {
        None => assert_eq!(consumed, stream.len()),
        Some(PeerGreeting::Unversioned { received }) => {
            assert!((1..=10).contains(&consumed));
            assert_eq!(received[..], stream[..consumed]);
            assert!(received[0] != 0xFF || (consumed == 10 && received[9] & 1 == 0));
            assert_eq!(out.len(), 10);
        }
        Some(PeerGreeting::Legacy {
            revision,
            socket_type,
        }) => {
            assert_eq!(consumed, 12);
            assert!(*revision <= 1);
            assert_eq!((stream[10], stream[11]), (*revision, *socket_type));
            assert_eq!(out[10..], [3, cfg.socket_type as u8]);
        }
        Some(PeerGreeting::V3 {
            revision,
            minor,
            mechanism,
            ..
        }) => {
            assert_eq!(consumed, 64);
            assert!(*revision >= 2);
            assert_eq!((stream[10], stream[11]), (*revision, *minor));
            assert_eq!(stream[12..32], mechanism[..]);
            assert_eq!(out.len(), 64);
            assert_eq!(out[10..12], [3, 1]);
            assert_eq!(
                out[12..32],
                crate::zmtp::greeting::mechanism_field(cfg.mechanism.name())
            );
        }
    }
    if let Some(p) = &peer {
        let v = p.version();
        assert_eq!(v.has_commands(), matches!(p, PeerGreeting::V3 { .. }));
    }

    // The whole engine on the same bytes.
    let mut d = Driver::new(cfg, ZapPolicy::from_bits(b1));
    chunks.split(stream, |p| d.feed(p));
}

/// Splits `data` into frames: `len data`, a length of 255 meaning a
/// 2-octet length follows. At most 16 frames.
fn split_frames(data: &[u8]) -> Vec<Bytes> {
    let mut inp = Input(data);
    let mut frames = Vec::new();
    while !inp.is_empty() && frames.len() < 16 {
        let mut len = usize::from(inp.u8());
        if len == 255 {
            len = usize::from(inp.u16());
        }
        frames.push(Bytes::copy_from_slice(inp.bytes(len)));
    }
    frames
}

/// A handshake of the chosen kind, paused on its ZAP request.
fn handshake_at_zap(route: u8, socket_type: i32) -> Option<Handshake> {
    let mut buf = BytesMut::new();
    let mut hs = match route {
        1 => {
            buf.extend_from_slice(&null_greeting());
            Handshake::new(HandshakeConfig {
                socket_type,
                zap_domain: Bytes::from_static(b"domain"),
                ..Default::default()
            })
        }
        2 => {
            buf.extend_from_slice(&v3_greeting(b"PLAIN"));
            crate::zmtp::codec::encode_command(
                Version::V3_1,
                b"HELLO",
                b"\x05admin\x06secret",
                &mut buf,
            );
            Handshake::new(HandshakeConfig {
                socket_type,
                mechanism: MechanismConfig::Plain {
                    server: true,
                    username: Bytes::new(),
                    password: Bytes::new(),
                },
                ..Default::default()
            })
        }
        _ => {
            // A real CURVE client runs until the server asks ZAP.
            let (mut s, mut c) = pair_configs(Mech::Curve, 1, 0);
            s.socket_type = socket_type;
            c.socket_type = [ZMQ_PAIR, ZMQ_DEALER, ZMQ_SUB, ZMQ_PUB, ZMQ_PUSH]
                [usize::try_from(socket_type).unwrap_or(0) % 5];
            let mut server = Handshake::new(s);
            let mut client = Driver::new(c, ZapPolicy::Allow);
            for _ in 0..8 {
                let out = server.output().split();
                client.feed(&out);
                buf.extend_from_slice(&client.output());
                match server.input(&mut buf) {
                    Ok(Progress::Zap(_)) => return Some(server),
                    Ok(Progress::NeedMore) => {}
                    _ => return None,
                }
            }
            return None;
        }
    };
    match hs.input(&mut buf) {
        Ok(Progress::Zap(_)) => Some(hs),
        _ => None,
    }
}

/// ZAP replies (RFC 27): `parse_reply` on any frames, and the same frames
/// answering a real NULL, PLAIN or CURVE handshake's request: the
/// handshake fails exactly when the reply is malformed or refuses.
/// Input: `config frames...` (see `split_frames`).
pub fn zap_reply(data: &[u8]) {
    let mut inp = Input(data);
    let b0 = inp.u8();
    let socket_type = i32::from(b0 & 0x1F) % 21;
    let frames = split_frames(inp.rest());
    let parsed = parse_reply(&frames, socket_type);
    if let Ok(o) = &parsed {
        assert_eq!(frames.len(), 7);
        assert!([200, 300, 400, 500].contains(&o.status));
        assert_eq!(o.user_id, frames[5]);
        assert_eq!(check_metadata(&frames[6]).as_ref(), Some(&o.metadata));
    }
    let route = b0 >> 5 & 3;
    if route == 0 {
        return;
    }
    let Some(mut hs) = handshake_at_zap(route, socket_type) else {
        return;
    };
    let r = hs.zap_reply(ZapReply::Frames(frames));
    match (parsed, r) {
        (Err(e), r) => assert_eq!(r.unwrap_err(), e),
        (Ok(o), Ok(_)) => assert_eq!(o.status, 200),
        (Ok(o), Err(e)) => {
            assert_ne!(
                o.status, 200,
                "an accepted reply failed the handshake: {e:?}"
            );
            assert_eq!(e, HandshakeError::Auth { status: o.status });
        }
    }
}
