//! The fuzzing surface (cargo feature `fuzzing`, never in a release
//! build): one plain function per fuzz target, each taking any bytes and
//! driving the crate's parsers and state machines the way a hostile peer or
//! C caller would, with the invariants that must hold checked by `assert!`.
//! A panic, an abort or an oversized allocation is a finding.
//!
//! The fuzz crate (`fuzz/`, cargo-fuzz) calls these through `TARGETS`, and
//! so does the stable replay test (`tests/fuzz_replay.rs`), which runs every
//! committed corpus and regression input plus deterministic mutations.
//! `seeds()` builds the seed corpora from real handshakes
//! (`cargo run --features fuzzing --example fuzz_seeds`).
//!
//! Each target reads its first bytes as a configuration (which role,
//! mechanism, revision, size limit, how the stream is split into reads) and
//! the rest as what the peer sends. Nothing here may use `unsafe`: the C ABI
//! calls go through `ffi::fuzz`.

use bytes::{Bytes, BytesMut};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::ctx::Ctx;
use crate::options::{opt, OptVal};
use crate::socket::trie::{MTrie, Removed, Trie};
use crate::socket::{Socket, DONTWAIT, SNDMORE};
use crate::util::z85;
use crate::zmtp::codec::{encode_frame, Decoder, Frame, ProtocolError, Version};
use crate::zmtp::command::{
    encode_ping, encode_pong, parse_error_reason, split_name, Command, PING_MAX_CONTEXT,
};
use crate::zmtp::greeting::{GreetingExchange, PeerGreeting};
use crate::zmtp::handshake::{Established, Handshake, HandshakeConfig, Progress};
use crate::zmtp::mechanism::curve::{public_of, FLAG_COMMAND, FLAG_MORE};
use crate::zmtp::mechanism::MechanismConfig;
use crate::zmtp::metadata::{self, encode_property};
use crate::zmtp::socket_type::*;
use crate::zmtp::subscription::{encode_subscription, Subscription};
use crate::zmtp::traffic::{classify, Inbound};
use crate::zmtp::ws;
use crate::zmtp::zap::{parse_reply, ZapReply, ZapRequest};
use crate::zmtp::HandshakeError;

/// A fuzz target: any bytes in, a panic (or abort) when something is wrong.
pub type Target = fn(&[u8]);

/// Every target, by the name of its cargo-fuzz binary and corpus folder.
pub const TARGETS: &[(&str, Target)] = &[
    ("greeting", greeting),
    ("decoder", decoder),
    ("command", command),
    ("metadata", metadata),
    ("handshake_null", handshake_null),
    ("handshake_plain", handshake_plain),
    ("handshake_curve", handshake_curve),
    ("zap_reply", zap_reply),
    ("ws_frames", ws_frames),
    ("ws_encoder", ws_encoder),
    ("ws_http", ws_http),
    ("z85", z85_codec),
    ("trie", trie),
    ("setsockopt", setsockopt),
    ("session", session),
    ("session_client", session_client),
];

/// The target called `name`.
pub fn target(name: &str) -> Option<Target> {
    TARGETS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

// ------------------------------------------------------------- plumbing

/// Reads a target's configuration off the front of its input; past the
/// end, every read is zero (so short inputs are valid too).
struct Input<'a>(&'a [u8]);

impl<'a> Input<'a> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    fn u16(&mut self) -> u16 {
        u16::from_be_bytes([self.u8(), self.u8()])
    }

    fn bytes(&mut self, n: usize) -> &'a [u8] {
        let (a, b) = self.0.split_at(n.min(self.0.len()));
        self.0 = b;
        a
    }

    fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.0)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// How a byte stream is cut into reads: whole, one byte at a time, or
/// pseudo-random pieces, decided by one input byte.
struct Chunker {
    mode: u8,
    state: u64,
}

impl Chunker {
    fn new(b: u8) -> Chunker {
        Chunker {
            mode: b & 3,
            state: 0x9E37_79B9_7F4A_7C15 ^ u64::from(b),
        }
    }

    fn next(&mut self, left: usize) -> usize {
        let mut x = self.state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.state = x;
        let n = match self.mode {
            0 => left,
            1 => 1,
            2 => 1 + (x % 8) as usize,
            _ => 1 + (x % 97) as usize,
        };
        n.clamp(1, left.max(1))
    }

    /// Calls `f` with successive pieces of `data`.
    fn split(&mut self, data: &[u8], mut f: impl FnMut(&[u8])) {
        let mut pos = 0;
        while pos < data.len() {
            let n = self.next(data.len() - pos);
            f(&data[pos..pos + n]);
            pos += n;
        }
    }
}

const VERSIONS: [Version; 4] = [Version::V1, Version::V2, Version::V3_0, Version::V3_1];

// ------------------------------------------------------------- decoder

/// What a frame header says, computed independently of `codec` from RFC
/// 13 / RFC 23 (the differential reference for `decoder`).
#[derive(Debug, PartialEq, Eq)]
enum RefHeader {
    Need(usize),
    Invalid(ProtocolError),
    Ready {
        header_len: usize,
        body_len: usize,
        more: bool,
        command: bool,
    },
}

fn ref_header(version: Version, max: i64, b: &[u8]) -> RefHeader {
    let too_large = |size: u64| -> Option<RefHeader> {
        let over_max = max >= 0 && size > max as u64;
        (over_max || size > i64::MAX as u64)
            .then_some(RefHeader::Invalid(ProtocolError::TooLarge { size, max }))
    };
    let u64_at = |at: usize| u64::from_be_bytes(b[at..at + 8].try_into().unwrap_or([0; 8]));
    if b.is_empty() {
        return RefHeader::Need(2);
    }
    if version == Version::V1 {
        // size (counting the flags octet), flags, body.
        let (size, flags_at) = if b[0] == 0xFF {
            if b.len() < 9 {
                return RefHeader::Need(10);
            }
            (u64_at(1), 9)
        } else {
            (u64::from(b[0]), 1)
        };
        if size == 0 {
            return RefHeader::Invalid(ProtocolError::EmptyV1Frame);
        }
        if let Some(e) = too_large(size - 1) {
            return e;
        }
        if b.len() <= flags_at {
            return RefHeader::Need(flags_at + 1);
        }
        return RefHeader::Ready {
            header_len: flags_at + 1,
            body_len: (size - 1) as usize,
            more: b[flags_at] & 1 != 0,
            command: false,
        };
    }
    let flags = b[0];
    if flags & 0xF8 != 0 {
        return RefHeader::Invalid(ProtocolError::ReservedFlags(flags));
    }
    let header_len = if flags & 2 != 0 { 9 } else { 2 };
    if b.len() < header_len {
        return RefHeader::Need(header_len);
    }
    let size = if header_len == 9 {
        u64_at(1)
    } else {
        u64::from(b[1])
    };
    if let Some(e) = too_large(size) {
        return e;
    }
    RefHeader::Ready {
        header_len,
        body_len: size as usize,
        more: flags & 1 != 0,
        command: flags & 4 != 0,
    }
}

/// The frame decoder of every revision, checked against `ref_header`:
/// `needed`, `large_header`, `decode_small` and `decode` agree on every
/// prefix of a stream delivered in arbitrary reads; `decode` consumes
/// exactly one whole frame or nothing, never more than the input, and
/// `needed` exceeds the buffer whenever a frame is incomplete.
pub fn decoder(data: &[u8]) {
    let mut inp = Input(data);
    let b0 = inp.u8();
    let version = VERSIONS[usize::from(b0 & 3)];
    let max: i64 = match (b0 >> 2) & 3 {
        0 => -1,
        1 => 0,
        2 => i64::from(inp.u16()),
        _ => i64::MAX,
    };
    let small_max = usize::from(b0 >> 4) * 17;
    let large_min = usize::from(inp.u8()) * 3;
    let mut chunks = Chunker::new(inp.u8());
    let stream = inp.rest();

    let mut d = Decoder::new(version, max);
    assert_eq!((d.version(), d.max_msg_size()), (version, max));
    let mut buf = BytesMut::new();
    let mut failed = false;
    chunks.split(stream, |piece| {
        if failed {
            return;
        }
        buf.extend_from_slice(piece);
        loop {
            let before = buf.len();
            let reference = ref_header(version, max, &buf);
            let need = d.needed(&buf);
            match &reference {
                RefHeader::Need(n) => assert_eq!(need, *n, "needed() for a partial header"),
                RefHeader::Ready {
                    header_len,
                    body_len,
                    ..
                } => assert_eq!(need, header_len + body_len, "needed() for a whole header"),
                RefHeader::Invalid(_) => assert_eq!(need, before, "needed() for a bad header"),
            }
            match (d.large_header(&buf, large_min), &reference) {
                (Ok(None), RefHeader::Need(_)) => {}
                (Ok(None), RefHeader::Ready { body_len, .. }) => {
                    assert!(*body_len < large_min, "large_header missed a frame")
                }
                (
                    Ok(Some(lh)),
                    RefHeader::Ready {
                        header_len,
                        body_len,
                        more,
                        command,
                    },
                ) => {
                    let want = (*header_len, *body_len, *more, *command);
                    assert_eq!((lh.header_len, lh.body_len, lh.more, lh.command), want);
                    assert!(lh.body_len >= large_min);
                }
                (Err(e), RefHeader::Invalid(r)) => assert_eq!(e, *r),
                (got, want) => panic!("large_header {got:?}, reference {want:?}"),
            }
            let mut copy = buf.clone();
            let small = d.decode_small(&mut copy, small_max, |more, body| (more, body.to_vec()));
            match (d.decode(&mut buf), reference) {
                (
                    Ok(Some(f)),
                    RefHeader::Ready {
                        header_len,
                        body_len,
                        more,
                        command,
                    },
                ) => {
                    assert_eq!(before - buf.len(), header_len + body_len, "bytes consumed");
                    assert_eq!((f.body.len(), f.more, f.command), (body_len, more, command));
                    let small = small.expect("decode_small failed where decode did not");
                    if !command && body_len <= small_max {
                        assert_eq!(small, Some((more, f.body.to_vec())));
                        assert_eq!(copy.len(), buf.len());
                    } else {
                        assert_eq!(small, None);
                        assert_eq!(copy.len(), before);
                    }
                }
                (Ok(None), RefHeader::Need(_) | RefHeader::Ready { .. }) => {
                    assert_eq!(buf.len(), before, "an incomplete frame was consumed");
                    assert!(
                        need > before,
                        "needed() {need} with {before} bytes buffered"
                    );
                    assert_eq!(small, Ok(None));
                    assert_eq!(copy.len(), before);
                    break;
                }
                (Err(e), RefHeader::Invalid(r)) => {
                    assert_eq!(e, r);
                    assert_eq!(small, Err(r));
                    let _ = (e.errno(), e.to_string());
                    failed = true;
                    break;
                }
                (got, want) => panic!("decode {got:?}, reference {want:?}"),
            }
        }
    });

    // Whatever the framing, a frame we encode decodes to itself.
    let body = &stream[..stream.len().min(600)];
    for (i, v) in VERSIONS.into_iter().enumerate() {
        let more = b0 & 1 != 0;
        let command = v.is_v2_framing() && i % 2 == 1;
        let mut out = BytesMut::new();
        encode_frame(v, more, command, body, &mut out);
        let f = Decoder::new(v, -1)
            .decode(&mut out)
            .expect("our own frame is valid")
            .expect("our own frame is whole");
        assert_eq!((&f.body[..], f.more, f.command), (body, more, command));
        assert!(out.is_empty());
    }
}

// ------------------------------------------------------------- commands

/// Command parsing (READY, ERROR, HELLO, WELCOME, INITIATE, PING, PONG,
/// SUBSCRIBE, CANCEL, unknown) and what a frame means after the
/// handshake: `classify`, subscriptions in command and message form, and
/// re-encoding of every parsed command.
pub fn command(data: &[u8]) {
    let mut inp = Input(data);
    let b0 = inp.u8();
    let body = Bytes::copy_from_slice(inp.rest());
    let frame = Frame {
        more: b0 & 1 != 0,
        command: b0 & 2 == 0,
        body: body.clone(),
    };

    if let Ok((name, rest)) = split_name(&body) {
        assert!(!name.is_empty());
        assert_eq!(1 + name.len() + rest.len(), body.len());
    }
    if let Ok(reason) = parse_error_reason(&body) {
        assert!(reason.len() < body.len() && reason.len() <= 255);
    }
    let parsed = Command::parse(&body);
    let inbound = classify(frame.clone());
    if !frame.command {
        assert_eq!(inbound, Inbound::Message(frame.clone()));
    } else {
        let want = match parsed.clone() {
            Ok(Command::Ping { ttl, context }) => Inbound::Ping {
                ttl_deciseconds: ttl,
                context,
            },
            Ok(Command::Pong { context }) => Inbound::Pong { context },
            Ok(Command::Subscribe { topic }) => Inbound::Subscribe(topic),
            Ok(Command::Cancel { topic }) => Inbound::Cancel(topic),
            _ => Inbound::Ignored,
        };
        assert_eq!(inbound, want);
    }
    match (Subscription::from_command(&frame), &inbound) {
        (None, Inbound::Subscribe(_) | Inbound::Cancel(_)) => panic!("subscription missed"),
        (Some(Subscription::Subscribe(t)), Inbound::Subscribe(u)) => assert_eq!(&t, u),
        (Some(Subscription::Cancel(t)), Inbound::Cancel(u)) => assert_eq!(&t, u),
        (Some(s), i) => panic!("{s:?} from a frame classified {i:?}"),
        (None, _) => {}
    }
    if let Some(s) = Subscription::from_message(&body) {
        assert_eq!(s.to_message(), body);
        assert_eq!(s.is_subscribe(), body[0] == 1);
    }

    // Every parsed command re-encodes to a frame that parses back to it;
    // only PING/PONG contexts beyond 16 octets are cut, as libzmq does.
    if let Ok(cmd) = parsed {
        let mut out = BytesMut::new();
        cmd.encode(Version::V3_1, &mut out);
        let f = Decoder::new(Version::V3_1, -1)
            .decode(&mut out)
            .expect("our command is valid")
            .expect("our command is whole");
        assert!(f.command && out.is_empty());
        let back = Command::parse(&f.body).expect("our command parses");
        let cut = |c: &Bytes| c.slice(..c.len().min(PING_MAX_CONTEXT));
        let want = match &cmd {
            Command::Ping { ttl, context } => Command::Ping {
                ttl: *ttl,
                context: cut(context),
            },
            Command::Pong { context } => Command::Pong {
                context: cut(context),
            },
            c => c.clone(),
        };
        assert_eq!(back, want);
        assert_eq!(back.name(), cmd.name());
        if back == cmd && !matches!(cmd, Command::Error { .. }) {
            assert_eq!(f.body, body, "re-encoding changed the bytes");
        }
    }

    // Subscriptions in both wire forms.
    let topic = &body[..body.len().min(300)];
    for v in VERSIONS {
        let subscribe = b0 & 4 != 0;
        let mut out = BytesMut::new();
        encode_subscription(v, subscribe, topic, &mut out);
        let f = Decoder::new(v, -1)
            .decode(&mut out)
            .expect("valid")
            .expect("whole");
        let s = if v == Version::V3_1 {
            Subscription::from_command(&f)
        } else {
            Subscription::from_message(&f.body)
        };
        let s = s.expect("our subscription is recognised");
        assert_eq!((s.is_subscribe(), &s.topic()[..]), (subscribe, topic));
    }
}

// ------------------------------------------------------------- metadata

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
fn check_metadata(list: &Bytes) -> Option<Vec<crate::zmtp::metadata::Property>> {
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

fn null_greeting() -> [u8; 64] {
    v3_greeting(b"NULL")
}

/// The 64-octet ZMTP 3.1 greeting libzmq sends (empty routing id).
fn v3_greeting(mechanism: &[u8]) -> [u8; 64] {
    let mut g = [0u8; 64];
    g[0] = 0xFF;
    g[8] = 1;
    g[9] = 0x7F;
    g[10] = 3;
    g[11] = 1;
    g[12..12 + mechanism.len()].copy_from_slice(mechanism);
    g
}

// ------------------------------------------------------------- handshakes

/// What a fake ZAP handler answers.
#[derive(Clone, Copy, Debug)]
enum ZapPolicy {
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

    fn reply(self) -> ZapReply {
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
struct Driver {
    hs: Handshake,
    cfg: HandshakeConfig,
    zap: ZapPolicy,
    zaps: usize,
    inbuf: BytesMut,
    state: DriverState,
    /// Every traffic frame received (after the CURVE box is opened).
    received: Vec<Frame>,
}

impl Driver {
    fn new(cfg: HandshakeConfig, zap: ZapPolicy) -> Driver {
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
    fn output(&mut self) -> BytesMut {
        match &mut self.state {
            DriverState::Done(est) => est.output.split(),
            _ => self.hs.output().split(),
        }
    }

    fn established(&mut self) -> Option<&mut Established> {
        match &mut self.state {
            DriverState::Done(est) => Some(est),
            _ => None,
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
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
                | Inbound::Ignored => {}
            }
        }
        self.state = DriverState::Closed;
        self.inbuf.clear();
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mech {
    Null,
    Plain,
    Curve,
}

/// Fixed long-term CURVE keys, so that inputs replay the same way:
/// (server public, server secret, client public, client secret).
type Keys = ([u8; 32], [u8; 32], [u8; 32], [u8; 32]);

fn curve_keys() -> &'static Keys {
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
fn pair_configs(mech: Mech, roles: u8, opts: u8) -> (HandshakeConfig, HandshakeConfig) {
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
        let name: &[u8] = match mech {
            Mech::Null => b"NULL",
            Mech::Plain => b"PLAIN",
            Mech::Curve => b"CURVE",
        };
        let mut g = v3_greeting(name).to_vec();
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

// ------------------------------------------------------------- ZAP

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

// ------------------------------------------------------------- ws

/// ZWS 2.0 frames from a peer: a `FrameDecoder` (server or client side,
/// bare or mechanism flavour, any MAXMSGSIZE) gives the same ZMTP bytes and
/// the same verdict whether the input comes at once or in pieces, and what
/// it emits is always valid ZMTP 3.1 framing within the size limit.
pub fn ws_frames(data: &[u8]) {
    let mut inp = Input(data);
    let b0 = inp.u8();
    let masked = b0 & 1 != 0;
    let bare = (b0 & 2 != 0).then_some("DEALER");
    let max: i64 = [-1, 0, 100, 65536][usize::from(b0 >> 2 & 3)];
    let mut chunks = Chunker::new(inp.u8());
    let stream = inp.rest();

    let mut d1 = ws::FrameDecoder::new(masked, max, bare);
    let mut in1 = BytesMut::from(stream);
    let mut out1 = BytesMut::new();
    let r1 = d1.decode(&mut in1, &mut out1);

    let mut d2 = ws::FrameDecoder::new(masked, max, bare);
    let mut in2 = BytesMut::new();
    let mut out2 = BytesMut::new();
    let mut r2: Result<bool, ws::WsError> = Ok(false);
    chunks.split(stream, |piece| {
        if r2 != Ok(false) {
            return;
        }
        in2.extend_from_slice(piece);
        r2 = d2.decode(&mut in2, &mut out2);
    });
    if stream.is_empty() {
        r2 = d2.decode(&mut in2, &mut out2);
    }
    assert_eq!(r1, r2, "the verdict depends on how the input was read");
    assert_eq!(out1, out2, "the output depends on how the input was read");
    if r1.is_ok() {
        assert_eq!(in1.len(), in2.len());
    }
    if let Err(e) = r1 {
        let _ = e.to_string();
    }

    // Valid ZMTP 3.1: data frames within MAXMSGSIZE, commands only those
    // ws stands for (PING, PONG, READY for bare ZWS2.0's routing id, and
    // what the peer sent flagged COMMAND, within MAXMSGSIZE too).
    let mut zmtp = Decoder::new(Version::V3_1, -1);
    let mut out = out1;
    while let Some(f) = zmtp
        .decode(&mut out)
        .expect("the ws decoder emitted bad ZMTP")
    {
        let synthetic = f.command
            && (f.body.starts_with(b"\x04PING")
                || f.body.starts_with(b"\x04PONG")
                || (bare.is_some() && f.body.starts_with(b"\x05READY")));
        if max >= 0 && !synthetic {
            assert!(f.body.len() as u64 <= max as u64, "a frame over MAXMSGSIZE");
        }
    }
}

/// Our ZMTP 3.1 byte stream (greeting, data frames, PING/PONG,
/// SUBSCRIBE/CANCEL and other commands, built from the input) through a
/// client's or a server's `FrameEncoder`, read back by the other side's
/// `FrameDecoder`: every frame arrives, translated as ZWS 2.0 says.
pub fn ws_encoder(data: &[u8]) {
    let mut inp = Input(data);
    let b0 = inp.u8();
    let client = b0 & 1 != 0;
    let mut chunks = Chunker::new(inp.u8());
    let mut stream = BytesMut::from(&null_greeting()[..]);
    let mut want = BytesMut::new();
    while !inp.is_empty() {
        let kind = inp.u8();
        let mut len = usize::from(inp.u8());
        if kind & 0x80 != 0 {
            len = len * 256 + 100;
        }
        let body = inp.bytes(len);
        let more = kind & 0x40 != 0;
        let v = Version::V3_1;
        match kind & 7 {
            0 | 1 => {
                encode_frame(v, more, false, body, &mut stream);
                encode_frame(v, more, false, body, &mut want);
            }
            2 => {
                let ctx = &body[..body.len().min(PING_MAX_CONTEXT)];
                encode_ping(v, u16::from(kind), ctx, &mut stream);
                encode_ping(v, 0, ctx, &mut want);
            }
            3 => {
                encode_pong(v, body, &mut stream);
                encode_pong(v, body, &mut want);
            }
            4 | 5 => {
                let subscribe = kind & 1 == 0;
                encode_subscription(v, subscribe, body, &mut stream);
                let mut m = vec![u8::from(subscribe)];
                m.extend_from_slice(body);
                encode_frame(v, false, false, &m, &mut want);
            }
            6 => {
                crate::zmtp::codec::encode_command(v, b"READY", body, &mut stream);
                crate::zmtp::codec::encode_command(v, b"READY", body, &mut want);
            }
            _ => {
                // Any other command body, even one without a valid name
                // (a name ws translates gets emptied first).
                let mut body = body.to_vec();
                if let Ok((name, _)) = split_name(&Bytes::copy_from_slice(&body)) {
                    if [&b"PING"[..], b"PONG", b"SUBSCRIBE", b"CANCEL"].contains(&&name[..]) {
                        body[0] = 0;
                    }
                }
                encode_frame(v, false, true, &body, &mut stream);
                encode_frame(v, false, true, &body, &mut want);
            }
        }
    }
    let mut enc = ws::FrameEncoder::new(client, None);
    let mut wire = BytesMut::new();
    chunks.split(&stream, |p| enc.encode(p, &mut wire));
    let mut dec = ws::FrameDecoder::new(client, -1, None);
    let mut got = BytesMut::new();
    assert_eq!(dec.decode(&mut wire, &mut got), Ok(false));
    assert!(wire.is_empty(), "the encoder left a partial frame");
    assert_eq!(got, want);
}

/// The HTTP/1.1 upgrade: `parse_head` on any bytes (and on its prefixes),
/// then the server's verdict for every mechanism, whose response must
/// satisfy a client; and the client's check of any head.
pub fn ws_http(data: &[u8]) {
    let head = ws::parse_head(data);
    match &head {
        Ok(Some((_, n))) => {
            assert!(*n <= data.len() && *n <= ws::MAX_HEAD);
            assert_eq!(&data[n - 4..*n], b"\r\n\r\n");
            for k in [n - 1, n / 2] {
                assert_eq!(ws::parse_head(&data[..k]), Ok(None));
            }
            assert_eq!(ws::parse_head(&data[..*n]), head);
        }
        Ok(None) => {
            assert!(data.len() <= ws::MAX_HEAD);
            assert!(!data.windows(4).any(|w| w == b"\r\n\r\n"));
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    let Ok(Some((head, _))) = head else {
        return;
    };
    for mech in [&b"NULL"[..], b"PLAIN", b"CURVE"] {
        if let Ok((response, flavour)) = ws::server_accept(&head, mech) {
            let (resp, n) = ws::parse_head(response.as_bytes())
                .expect("our response parses")
                .expect("our response is whole");
            assert_eq!(n, response.len());
            let key = head
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("Sec-WebSocket-Key"))
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            assert_eq!(ws::client_check(&resp, &key, mech), Ok(flavour));
        }
        let key = head.start_line.clone();
        let _ = ws::client_check(&head, &key, mech);
    }
    // A request we would send, with the head's text as path and host where
    // it is a plain token: the server side accepts it.
    let token = |s: &str| {
        !s.is_empty() && s.len() < 200 && s.bytes().all(|b| b.is_ascii_graphic() && b != b':')
    };
    let path = head.start_line.split(' ').next().unwrap_or("");
    if token(path) {
        let mut mask = ws::MaskGen::new();
        let key = ws::new_key(&mut mask);
        for mech in [&b"NULL"[..], b"PLAIN", b"CURVE"] {
            let req = ws::client_request(path, path, &key, mech);
            let (h, _) = ws::parse_head(req.as_bytes()).unwrap().unwrap();
            assert!(ws::server_accept(&h, mech).is_ok());
        }
    }
}

// ------------------------------------------------------------- Z85

/// Z85 (RFC 32): whatever decodes re-encodes to the same text (the
/// encoding is unique), and any multiple of 4 bytes round-trips.
pub fn z85_codec(data: &[u8]) {
    let mut out = vec![0u8; data.len() / 5 * 4 + 4];
    match z85::decode_into(data, &mut out) {
        Ok(n) => {
            assert_eq!(n, data.len() / 5 * 4);
            assert_eq!(z85::decoded_len(data.len()), Ok(n));
            let text = z85::encode(&out[..n]).expect("a multiple of 4");
            assert_eq!(text.as_bytes(), data);
        }
        Err(_) => {
            if let Ok(s) = std::str::from_utf8(data) {
                assert!(z85::decode(s).is_err());
            }
        }
    }
    let whole = &data[..data.len() / 4 * 4];
    let text = z85::encode(whole).expect("a multiple of 4");
    assert_eq!(z85::encoded_len(whole.len()), Ok(text.len()));
    if !whole.is_empty() {
        assert_eq!(z85::decode(&text).expect("our own text"), whole);
    }
    if !data.len().is_multiple_of(4) {
        assert!(z85::encode(data).is_err());
    }
}

// ------------------------------------------------------------- tries

/// Subscription tries under a sequence of operations read from the input,
/// each checked against a map: `Trie` (SUB: reference-counted topics) and
/// `MTrie` (PUB: topics per pipe). Op: `code len topic...`; codes
/// 0-3 `Trie` add/remove/matches/topics, 4-8 `MTrie`
/// add/remove/remove_pipe/match/contains; a high bit maps the topic onto a
/// 3-letter alphabet (more shared prefixes), another makes it 1000 octets.
pub fn trie(data: &[u8]) {
    let mut inp = Input(data);
    let mut t = Trie::new();
    let mut tm: BTreeMap<Vec<u8>, u32> = BTreeMap::new();
    let mut m = MTrie::new();
    let mut mm: BTreeMap<Vec<u8>, BTreeSet<u64>> = BTreeMap::new();
    let mut ops = 0;
    while !inp.is_empty() && ops < 512 {
        ops += 1;
        let code = inp.u8();
        let len = usize::from(inp.u8() % 16);
        let mut topic = inp.bytes(len).to_vec();
        if code & 0x80 != 0 {
            for b in &mut topic {
                *b = b'a' + *b % 3;
            }
        }
        if code & 0x40 != 0 && code & 0x20 != 0 {
            let fill = topic.first().copied().unwrap_or(b'x');
            topic.resize(1000, fill);
        }
        let pipe = u64::from(code >> 4 & 3);
        match code & 0x0F {
            0 => {
                let c = tm.entry(topic.clone()).or_insert(0);
                *c += 1;
                assert_eq!(t.add(&topic), *c == 1);
            }
            1 => {
                let last = match tm.get_mut(&topic) {
                    Some(c) => {
                        *c -= 1;
                        *c == 0
                    }
                    None => false,
                };
                if last {
                    tm.remove(&topic);
                }
                assert_eq!(t.remove(&topic), last);
            }
            2 => {
                let want = tm.keys().any(|k| topic.starts_with(k));
                assert_eq!(t.matches(&topic), want);
            }
            3 => {
                let got: Vec<Vec<u8>> = t.topics().iter().map(|b| b.to_vec()).collect();
                assert_eq!(got, tm.keys().cloned().collect::<Vec<_>>());
            }
            4 => {
                let first = !mm.contains_key(&topic);
                mm.entry(topic.clone()).or_default().insert(pipe);
                assert_eq!(m.add(&topic, pipe), first);
            }
            5 => {
                let want = match mm.get_mut(&topic) {
                    Some(set) if set.contains(&pipe) => {
                        set.remove(&pipe);
                        if set.is_empty() {
                            mm.remove(&topic);
                            Removed::Last
                        } else {
                            Removed::Remain
                        }
                    }
                    _ => Removed::NotFound,
                };
                assert_eq!(m.remove(&topic, pipe), want);
            }
            6 => {
                let mut want = Vec::new();
                for (k, set) in mm.iter_mut() {
                    if set.remove(&pipe) {
                        want.push((k.clone(), set.is_empty()));
                    }
                }
                mm.retain(|_, s| !s.is_empty());
                let mut got = Vec::new();
                m.remove_pipe(pipe, |k, last| got.push((k.to_vec(), last)));
                assert_eq!(got, want);
            }
            7 => {
                let want: BTreeSet<u64> = mm
                    .iter()
                    .filter(|(k, _)| topic.starts_with(k))
                    .flat_map(|(_, s)| s.iter().copied())
                    .collect();
                let mut got = Vec::new();
                m.match_into(&topic, &mut got);
                assert_eq!(got, want.into_iter().collect::<Vec<_>>());
            }
            _ => {
                let want = mm.get(&topic).is_some_and(|s| s.contains(&pipe));
                assert_eq!(m.contains(&topic, pipe), want);
            }
        }
        assert_eq!((t.len(), t.is_empty()), (tm.len(), tm.is_empty()));
        assert_eq!((m.len(), m.is_empty()), (mm.len(), mm.is_empty()));
    }
}

// ------------------------------------------------------------- options

/// errno values `zmq_setsockopt`/`zmq_getsockopt` may leave on a valid
/// socket; EFAULT there would mean a panic caught at the boundary.
const OPTION_ERRNOS: [i32; 2] = [libc::EINVAL, libc::ENOTSUP];

/// Option values through the C ABI: a fresh context and socket of any
/// type, then `setsockopt`/`getsockopt` calls read from the input (any
/// option number, any length, NULL values) must each return 0 or -1 with a
/// documented errno, and a set value must read back.
/// Op: `option kind len value...`.
pub fn setsockopt(data: &[u8]) {
    use crate::ffi::ctx::{zmq_ctx_new, zmq_ctx_term};
    use crate::ffi::fuzz;
    use crate::ffi::socket::{zmq_close, zmq_socket};
    let mut inp = Input(data);
    let socket_type = i32::from(inp.u8() % 22);
    let ctx = zmq_ctx_new();
    assert!(!ctx.is_null());
    let s = zmq_socket(ctx, socket_type);
    if s.is_null() {
        assert!(
            (socket_type > ZMQ_STREAM && !cfg!(feature = "draft")) || socket_type > ZMQ_CHANNEL
        );
        assert_eq!(zmq_ctx_term(ctx), 0);
        return;
    }
    let mut ops = 0;
    while !inp.is_empty() && ops < 64 {
        ops += 1;
        let code = inp.u8();
        let option = match code {
            0..=119 => i32::from(code),
            120..=239 => i32::from(code) - 120 + 1000,
            _ => i32::from_be_bytes([inp.u8(), inp.u8(), inp.u8(), inp.u8()]),
        };
        let kind = inp.u8();
        let len = usize::from(inp.u8());
        let value = inp.bytes(match kind & 3 {
            0 => 4,
            1 => 8,
            _ => len,
        });
        let (rc, err) = if kind & 0x80 != 0 {
            fuzz::setsockopt(s, option, None, len)
        } else {
            fuzz::setsockopt(s, option, Some(value), 0)
        };
        assert!(rc == 0 || rc == -1);
        assert!(
            rc == 0 || OPTION_ERRNOS.contains(&err),
            "zmq_setsockopt({option}, {value:?}) failed with errno {err}"
        );
        let cap = [0usize, 4, 8, 256][usize::from(kind >> 2 & 3)];
        let (rc, err, got) = fuzz::getsockopt(s, option, cap);
        assert!(rc == 0 || rc == -1);
        assert!(
            rc == 0 || OPTION_ERRNOS.contains(&err),
            "zmq_getsockopt({option}) failed with errno {err}"
        );
        let _ = got;
    }
    assert_eq!(zmq_close(s), 0);
    assert_eq!(zmq_ctx_term(ctx), 0);
}

// ------------------------------------------------------------- sessions

/// A socket of the rig, bound and waiting for connections.
struct Listener {
    socket: Arc<Socket>,
    endpoint: String,
    mech: Mech,
    ws: bool,
    /// The type our well-behaved client plays against it.
    peer_type: i32,
}

/// One context for the whole process, with listeners of every kind and a
/// ZAP handler that lets everyone in.
struct Rig {
    ctx: Arc<Ctx>,
    listeners: Vec<Listener>,
    /// Where `session_client`'s sockets connect: a listener of ours.
    server: std::os::unix::net::UnixListener,
    server_endpoint: String,
}

fn rig() -> &'static Rig {
    static RIG: OnceLock<Rig> = OnceLock::new();
    RIG.get_or_init(|| {
        let ctx = Ctx::new();
        let zap = ctx.socket(ZMQ_REP).expect("ZAP socket");
        zap.bind("inproc://zeromq.zap.01").expect("bind ZAP");
        std::thread::spawn(move || loop {
            let Some(req) = recv_message(&zap, true) else {
                return;
            };
            let id = req.get(1).cloned().unwrap_or_default();
            let reply: [&[u8]; 6] = [b"1.0", &id, b"200", b"OK", b"fuzz", b""];
            for (i, f) in reply.iter().enumerate() {
                let more = if i < 5 { SNDMORE } else { 0 };
                if zap.send_slice(f, more).is_err() {
                    return;
                }
            }
        });
        let (spk, ssk, _, _) = *curve_keys();
        let specs: [(i32, Mech, &str, i32, i64); 8] = [
            (ZMQ_ROUTER, Mech::Null, "ipc", ZMQ_DEALER, -1),
            (ZMQ_ROUTER, Mech::Null, "tcp", ZMQ_DEALER, -1),
            (ZMQ_ROUTER, Mech::Plain, "ipc", ZMQ_DEALER, -1),
            (ZMQ_ROUTER, Mech::Curve, "ipc", ZMQ_DEALER, -1),
            (ZMQ_ROUTER, Mech::Null, "ws", ZMQ_DEALER, -1),
            (ZMQ_XPUB, Mech::Null, "ipc", ZMQ_SUB, -1),
            (ZMQ_PULL, Mech::Null, "ipc", ZMQ_PUSH, 1000),
            (ZMQ_ROUTER, Mech::Curve, "ws", ZMQ_DEALER, -1),
        ];
        let mut listeners = Vec::new();
        for (i, (t, mech, transport, peer_type, max)) in specs.into_iter().enumerate() {
            let s = ctx.socket(t).expect("listener socket");
            let set = |o: i32, v: &[u8]| s.setsockopt(o, v).expect("listener option");
            set(opt::RCVHWM, &0i32.to_ne_bytes());
            set(opt::LINGER, &0i32.to_ne_bytes());
            set(opt::MAXMSGSIZE, &max.to_ne_bytes());
            match mech {
                Mech::Null => {}
                Mech::Plain => set(opt::PLAIN_SERVER, &1i32.to_ne_bytes()),
                Mech::Curve => {
                    set(opt::CURVE_SERVER, &1i32.to_ne_bytes());
                    set(opt::CURVE_SECRETKEY, &ssk);
                }
            }
            let uri = match transport {
                "ipc" => format!("ipc://@monocoque-fuzz-{}-{i}", std::process::id()),
                t => format!("{t}://127.0.0.1:*"),
            };
            s.bind(&uri).expect("bind listener");
            let Ok(OptVal::Str(endpoint)) = s.getsockopt(opt::LAST_ENDPOINT) else {
                panic!("no last endpoint");
            };
            let _ = spk;
            listeners.push(Listener {
                socket: s,
                endpoint,
                mech,
                ws: transport == "ws",
                peer_type,
            });
        }
        let name = format!("monocoque-fuzz-{}-server", std::process::id());
        let server = {
            use std::os::linux::net::SocketAddrExt;
            let a = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())
                .expect("abstract name");
            std::os::unix::net::UnixListener::bind_addr(&a).expect("bind the hostile server")
        };
        Rig {
            ctx,
            listeners,
            server,
            server_endpoint: format!("ipc://@{name}"),
        }
    })
}

/// One whole message from `s`, blocking or not.
fn recv_message(s: &Socket, block: bool) -> Option<Vec<Bytes>> {
    let mut frames = Vec::new();
    loop {
        let flags = if block || !frames.is_empty() {
            0
        } else {
            DONTWAIT
        };
        let m = s.recv(flags).ok()?;
        frames.push(Bytes::copy_from_slice(m.data()));
        if !m.more() {
            return Some(frames);
        }
    }
}

enum Stream {
    Unix(std::os::unix::net::UnixStream),
    Tcp(std::net::TcpStream),
}

impl Stream {
    fn io(&mut self) -> &mut dyn ReadWrite {
        match self {
            Stream::Unix(s) => s,
            Stream::Tcp(s) => s,
        }
    }

    fn shutdown_write(&self) {
        let _ = match self {
            Stream::Unix(s) => s.shutdown(std::net::Shutdown::Write),
            Stream::Tcp(s) => s.shutdown(std::net::Shutdown::Write),
        };
    }
}

trait ReadWrite: std::io::Read + std::io::Write {}
impl<T: std::io::Read + std::io::Write> ReadWrite for T {}

/// How long a well-behaved peer waits for the library before calling it
/// hung (a hang guard, not a speed check).
const HANG: Duration = Duration::from_secs(20);

/// A client of a rig listener, speaking through the crate's own engine:
/// raw bytes, or ZMTP bytes (over ws: framed by our `FrameEncoder`).
struct Client {
    stream: Stream,
    ws: Option<(ws::FrameEncoder, ws::FrameDecoder, BytesMut)>,
    /// ZMTP bytes received and not yet consumed.
    inbuf: BytesMut,
}

impl Client {
    fn connect(l: &Listener) -> Client {
        let stream = if let Some(name) = l.endpoint.strip_prefix("ipc://@") {
            use std::os::linux::net::SocketAddrExt;
            let a = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())
                .expect("abstract name");
            let s = std::os::unix::net::UnixStream::connect_addr(&a).expect("connect ipc");
            s.set_read_timeout(Some(HANG)).expect("timeout");
            Stream::Unix(s)
        } else {
            let hp = l.endpoint.split("://").nth(1).unwrap_or("");
            let hp = hp.split('/').next().unwrap_or(hp);
            let s = std::net::TcpStream::connect(hp).expect("connect tcp");
            s.set_read_timeout(Some(HANG)).expect("timeout");
            // No TIME_WAIT pile-up over millions of connections.
            socket2::SockRef::from(&s)
                .set_linger(Some(Duration::ZERO))
                .expect("linger");
            let _ = s.set_nodelay(true);
            Stream::Tcp(s)
        };
        Client {
            stream,
            ws: None,
            inbuf: BytesMut::new(),
        }
    }

    fn send_raw(&mut self, b: &[u8]) -> bool {
        self.stream.io().write_all(b).is_ok()
    }

    fn send_zmtp(&mut self, b: &[u8]) -> bool {
        match &mut self.ws {
            None => self.send_raw(b),
            Some((enc, _, _)) => {
                let mut out = BytesMut::new();
                enc.encode(b, &mut out);
                self.send_raw(&out)
            }
        }
    }

    /// Reads once; false at end of stream or on error.
    fn recv_zmtp(&mut self) -> bool {
        let mut tmp = [0u8; 16384];
        let n = match self.stream.io().read(&mut tmp) {
            Ok(0) | Err(_) => return false,
            Ok(n) => n,
        };
        match &mut self.ws {
            None => self.inbuf.extend_from_slice(&tmp[..n]),
            Some((_, dec, raw)) => {
                raw.extend_from_slice(&tmp[..n]);
                if dec.decode(raw, &mut self.inbuf) != Ok(false) {
                    return false;
                }
            }
        }
        true
    }

    /// The ws upgrade, as our connecter does it.
    fn upgrade(&mut self, l: &Listener) -> bool {
        let mech = mech_name(l.mech);
        let key = ws::new_key(&mut ws::MaskGen::new());
        let req = ws::client_request("/", "127.0.0.1", &key, mech);
        if !self.send_raw(req.as_bytes()) {
            return false;
        }
        let mut raw = Vec::new();
        let mut tmp = [0u8; 4096];
        loop {
            match ws::parse_head(&raw) {
                Ok(Some((head, n))) => {
                    assert!(ws::client_check(&head, &key, mech).is_ok(), "bad ws answer");
                    let mut rest = BytesMut::from(&raw[n..]);
                    let mut inbuf = BytesMut::new();
                    ws::synthetic_greeting(mech, l.mech != Mech::Null, &mut inbuf);
                    let mut dec = ws::FrameDecoder::new(false, -1, None);
                    let _ = dec.decode(&mut rest, &mut inbuf);
                    self.inbuf = inbuf;
                    self.ws = Some((ws::FrameEncoder::new(true, None), dec, rest));
                    return true;
                }
                Ok(None) => {}
                Err(e) => panic!("ws answer: {e}"),
            }
            match self.stream.io().read(&mut tmp) {
                Ok(0) | Err(_) => return false,
                Ok(n) => raw.extend_from_slice(&tmp[..n]),
            }
        }
    }

    /// A complete, honest handshake as the listener's well-behaved peer.
    fn handshake(&mut self, l: &Listener) -> Option<Established> {
        let (_, pcfg) = pair_configs(l.mech, 1, 0);
        self.handshake_as(HandshakeConfig {
            socket_type: l.peer_type,
            ..pcfg
        })
    }

    /// A complete, honest handshake with `cfg` (a server lets ZAP allow).
    fn handshake_as(&mut self, cfg: HandshakeConfig) -> Option<Established> {
        let mut hs = Handshake::new(cfg);
        for _ in 0..100 {
            // What `input` queued must go out before we wait for more.
            let mut progress = hs.input(&mut self.inbuf);
            if let Ok(Progress::Zap(_)) = progress {
                progress = match hs.zap_reply(ZapPolicy::Allow.reply()) {
                    Ok(Progress::NeedMore) => hs.input(&mut self.inbuf),
                    other => other,
                };
            }
            let out = hs.output().split();
            if !out.is_empty() && !self.send_zmtp(&out) {
                return None;
            }
            match progress {
                Ok(Progress::Done(mut est)) => {
                    let out = est.output.split();
                    return self.send_zmtp(&out).then_some(est);
                }
                Ok(Progress::NeedMore) => {
                    if !self.recv_zmtp() {
                        return None;
                    }
                }
                Ok(Progress::Zap(_)) | Err(_) => return None,
            }
        }
        None
    }

    /// Closes our side and waits for the library to close its side.
    fn finish(mut self) {
        self.stream.shutdown_write();
        let mut tmp = [0u8; 16384];
        loop {
            match self.stream.io().read(&mut tmp) {
                Ok(0) => return,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return,
                Err(e) => panic!("the library kept a closed peer's connection open: {e}"),
            }
        }
    }
}

fn mech_name(m: Mech) -> &'static [u8] {
    match m {
        Mech::Null => b"NULL",
        Mech::Plain => b"PLAIN",
        Mech::Curve => b"CURVE",
    }
}

/// Waits for a message whose last frame is `body` on `s`.
fn await_message(s: &Socket, body: &[u8]) -> Vec<Bytes> {
    let start = std::time::Instant::now();
    loop {
        match recv_message(s, false) {
            Some(m) if m.last().is_some_and(|b| b[..] == *body) => return m,
            Some(_) => {}
            None => {
                assert!(start.elapsed() < HANG, "a well-behaved peer was not served");
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }
}

/// A well-behaved peer still gets served after the hostile one.
fn health_check(l: &Listener) {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let token = format!(
        "health-{}",
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let mut c = Client::connect(l);
    assert!(!l.ws || c.upgrade(l), "ws upgrade refused");
    let mut est = c
        .handshake(l)
        .expect("a well-behaved peer's handshake failed");
    let mut out = BytesMut::new();
    let frame = |est: &mut Established, sub: bool, body: &[u8], out: &mut BytesMut| match (
        &mut est.cipher,
        sub,
    ) {
        (Some(ci), true) => ci.tx.seal_subscription(true, body, out),
        (Some(ci), false) => ci.tx.seal(0, body, out),
        (None, true) => encode_subscription(est.version, true, body, out),
        (None, false) => est.encoder.message(false, body, out),
    };
    let sub = l.peer_type == ZMQ_SUB;
    frame(&mut est, sub, token.as_bytes(), &mut out);
    assert!(c.send_zmtp(&out));
    if sub {
        let mut want = vec![1u8];
        want.extend_from_slice(token.as_bytes());
        await_message(&l.socket, &want);
    } else if l.peer_type == ZMQ_DEALER {
        let m = await_message(&l.socket, token.as_bytes());
        l.socket.send_slice(&m[0], SNDMORE).expect("route back");
        l.socket.send_slice(b"pong", 0).expect("reply");
        loop {
            match est.decoder.decode(&mut c.inbuf).expect("valid reply") {
                Some(f) => {
                    let body = match &mut est.cipher {
                        Some(ci) => ci.rx.open(&f.body).expect("sealed reply").1,
                        None => f.body,
                    };
                    if !f.command || est.cipher.is_some() {
                        assert_eq!(&body[..], b"pong");
                        break;
                    }
                }
                None => assert!(c.recv_zmtp(), "no reply for a well-behaved peer"),
            }
        }
    } else {
        await_message(&l.socket, token.as_bytes());
    }
    c.finish();
}

/// The real connection code end to end (listener, handshake, read and
/// write pumps, ws adapter, ZAP): one of eight sockets bound in this
/// process (NULL ROUTER over ipc, tcp and ws; PLAIN and CURVE ROUTERs with
/// a ZAP handler; CURVE over ws; an XPUB; a PULL with MAXMSGSIZE 1000)
/// gets the input from a peer that then closes. The process must survive
/// (no panic, no abort, no oversized allocation), must close the
/// connection, and (when asked) must still serve a well-behaved peer.
///
/// Input: `config payload`. Config bits 0-2 pick the listener; bits 3-4
/// the mode: 0 raw bytes from the first octet, 1 after a valid greeting
/// (ws: after the upgrade), 2 after a complete honest handshake (raw
/// ZMTP; ws: raw WebSocket frames), 3 after the handshake as records
/// `flags len body` our engine frames (and seals for CURVE); bit 5 runs
/// the well-behaved peer afterwards.
pub fn session(data: &[u8]) {
    let rig = rig();
    let mut inp = Input(data);
    let b0 = inp.u8();
    let l = &rig.listeners[usize::from(b0 & 7)];
    let mode = (b0 >> 3) & 3;
    let payload = inp.rest();
    let mut c = Client::connect(l);
    match mode {
        0 => {
            c.send_raw(payload);
        }
        1 => {
            if l.ws {
                if c.upgrade(l) {
                    c.send_raw(payload);
                }
            } else {
                let mut g = v3_greeting(mech_name(l.mech)).to_vec();
                g.extend_from_slice(payload);
                c.send_raw(&g);
            }
        }
        _ => {
            if l.ws && !c.upgrade(l) {
                panic!("ws upgrade refused");
            }
            let mut est = c.handshake(l).expect("an honest handshake failed");
            if mode == 2 {
                c.send_raw(payload);
            } else {
                let mut recs = Input(payload);
                let mut out = BytesMut::new();
                while !recs.is_empty() {
                    let flags = recs.u8();
                    let len = usize::from(recs.u8()) * if flags & 0x80 != 0 { 64 } else { 1 };
                    let body = recs.bytes(len);
                    match &mut est.cipher {
                        Some(ci) => ci.tx.seal(flags & 3, body, &mut out),
                        None if flags & 2 != 0 && !body.is_empty() => {
                            est.encoder.command(&body[..1], &body[1..], &mut out)
                        }
                        None => est.encoder.message(flags & 1 != 0, body, &mut out),
                    }
                }
                c.send_zmtp(&out);
            }
        }
    }
    c.finish();
    for l in &rig.listeners {
        while recv_message(&l.socket, false).is_some() {}
    }
    if b0 & 0x20 != 0 {
        health_check(l);
    }
}

/// The connecting side end to end, against a hostile server: a socket of
/// ours (DEALER, SUB, PUSH or REQ; NULL, PLAIN or CURVE client; reconnect
/// off) connects to a listener this target holds, which sends the input and
/// closes. The process must survive, the library must close the connection
/// once the server has, and the socket must close cleanly.
///
/// Input: `config payload`. Config bits 0-1 the mechanism (mod 3), bits
/// 2-3 the socket type, bits 4-5 the mode: 0 raw bytes from the first
/// octet, 1 after a valid 3.1 greeting, 2 after a complete honest server
/// handshake (raw ZMTP), 3 after it as records `flags len body` our engine
/// frames (and seals for CURVE).
pub fn session_client(data: &[u8]) {
    let rig = rig();
    let mut inp = Input(data);
    let b0 = inp.u8();
    let mech = [Mech::Null, Mech::Plain, Mech::Curve][usize::from(b0 & 3) % 3];
    let (ours, theirs) = [
        (ZMQ_DEALER, ZMQ_ROUTER),
        (ZMQ_SUB, ZMQ_XPUB),
        (ZMQ_PUSH, ZMQ_PULL),
        (ZMQ_REQ, ZMQ_REP),
    ][usize::from((b0 >> 2) & 3)];
    let mode = (b0 >> 4) & 3;
    let payload = inp.rest();

    let s = rig.ctx.socket(ours).expect("client socket");
    let set = |o: i32, v: &[u8]| s.setsockopt(o, v).expect("client option");
    set(opt::LINGER, &0i32.to_ne_bytes());
    set(opt::RECONNECT_IVL, &(-1i32).to_ne_bytes());
    let (spk, _, cpk, csk) = *curve_keys();
    match mech {
        Mech::Null => {}
        Mech::Plain => {
            set(opt::PLAIN_USERNAME, b"admin");
            set(opt::PLAIN_PASSWORD, b"secret");
        }
        Mech::Curve => {
            set(opt::CURVE_SERVERKEY, &spk);
            set(opt::CURVE_PUBLICKEY, &cpk);
            set(opt::CURVE_SECRETKEY, &csk);
        }
    }
    if ours == ZMQ_SUB {
        set(opt::SUBSCRIBE, b"");
    }
    s.connect(&rig.server_endpoint).expect("connect");
    let (stream, _) = rig
        .server
        .accept()
        .expect("accept the library's connection");
    stream.set_read_timeout(Some(HANG)).expect("timeout");
    let mut c = Client {
        stream: Stream::Unix(stream),
        ws: None,
        inbuf: BytesMut::new(),
    };
    match mode {
        0 => {
            c.send_raw(payload);
        }
        1 => {
            let mut g = v3_greeting(mech_name(mech)).to_vec();
            g.extend_from_slice(payload);
            c.send_raw(&g);
        }
        _ => {
            let (server, _) = pair_configs(mech, 1, 0);
            let cfg = HandshakeConfig {
                socket_type: theirs,
                ..server
            };
            let mut est = c
                .handshake_as(cfg)
                .expect("the library refused an honest server");
            if mode == 2 {
                c.send_raw(payload);
            } else {
                let mut recs = Input(payload);
                let mut out = BytesMut::new();
                while !recs.is_empty() {
                    let flags = recs.u8();
                    let len = usize::from(recs.u8()) * if flags & 0x80 != 0 { 64 } else { 1 };
                    let body = recs.bytes(len);
                    match &mut est.cipher {
                        Some(ci) => ci.tx.seal(flags & 3, body, &mut out),
                        None if flags & 2 != 0 && !body.is_empty() => {
                            est.encoder.command(&body[..1], &body[1..], &mut out)
                        }
                        None => est.encoder.message(flags & 1 != 0, body, &mut out),
                    }
                }
                c.send_raw(&out);
            }
        }
    }
    c.finish();
    while recv_message(&s, false).is_some() {}
    rig.ctx.close_socket(&s);
}

// ------------------------------------------------------------- seeds

/// A whole honest pair handshake and a little traffic: what each side
/// sent, (target → peer, peer → target).
fn transcript(tcfg: HandshakeConfig, pcfg: HandshakeConfig) -> (Vec<u8>, Vec<u8>) {
    let mut a = Driver::new(tcfg, ZapPolicy::Allow);
    let mut b = Driver::new(pcfg, ZapPolicy::Allow);
    let (mut ab, mut ba) = (Vec::new(), Vec::new());
    for _ in 0..32 {
        let x = a.output();
        let y = b.output();
        if x.is_empty() && y.is_empty() {
            break;
        }
        ab.extend_from_slice(&x);
        ba.extend_from_slice(&y);
        b.feed(&x);
        a.feed(&y);
    }
    for (d, w) in [(&mut a, &mut ab), (&mut b, &mut ba)] {
        if let Some(est) = d.established() {
            let mut out = BytesMut::new();
            match &mut est.cipher {
                Some(c) => {
                    c.tx.seal(1, b"hello", &mut out);
                    c.tx.seal(0, b"world", &mut out);
                    c.tx.seal(2, b"\x04PING\x00\x0aab", &mut out);
                    c.tx.seal_subscription(true, b"topic", &mut out);
                }
                None => {
                    est.encoder.message(true, b"hello", &mut out);
                    est.encoder.message(false, &[7u8; 300], &mut out);
                    encode_ping(est.version, 10, b"ctx", &mut out);
                    encode_subscription(est.version, true, b"topic", &mut out);
                }
            }
            w.extend_from_slice(&out);
        }
    }
    (ab, ba)
}

/// Seed inputs for every target, built from real handshakes (every
/// mechanism, both roles, every ZMTP revision) and the encoders.
pub fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let mut v: Vec<(&'static str, Vec<u8>)> = Vec::new();
    let cat = |parts: &[&[u8]]| parts.concat();

    // Real byte streams, as peers send them.
    let mut streams: Vec<(Mech, u8, Vec<u8>)> = Vec::new();
    for mech in [Mech::Null, Mech::Plain, Mech::Curve] {
        for roles in [0u8, 1, 0x20, 0x41, 0x80, 0xA1] {
            let (t, p) = pair_configs(mech, roles, 0x60);
            let (_, from_peer) = transcript(t, p);
            streams.push((mech, roles, from_peer));
        }
    }
    // Legacy peers: unversioned 1.0 (identity "abc", then two messages),
    // revision 0 (1.0 framing) and revision 1 (2.0 framing).
    let legacy: Vec<Vec<u8>> = vec![
        b"\x04\x00abc\x03\x01hi\x02\x00x".to_vec(),
        cat(&[
            &[0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 0, 8],
            b"\x01\x00\x03\x00hi",
        ]),
        cat(&[
            &[0xFF, 0, 0, 0, 0, 0, 0, 0, 4, 0x7F, 1, 5],
            b"\x00\x03abc\x01\x02hi\x00\x01x",
        ]),
        cat(&[&[0xFF, 0, 0, 0, 0, 0, 0, 0, 255, 0], &[b'i'; 254]]),
        cat(&[&null_greeting()[..10], &[3, 0], &null_greeting()[12..]]),
    ];

    for (mech, roles, s) in &streams {
        let b0 = match mech {
            Mech::Null => 0,
            Mech::Plain => 1,
            Mech::Curve => 2,
        } | (roles & 1) << 2
            | (roles & 0xE0);
        v.push(("greeting", cat(&[&[b0, 0x60, 0], s])));
        v.push(("greeting", cat(&[&[b0, 0x68, 1], s])));
    }
    for (i, l) in legacy.iter().enumerate() {
        v.push(("greeting", cat(&[&[(i as u8) << 5, 0, 0], l])));
        v.push(("greeting", cat(&[&[(i as u8) << 5 | 0x10, 0x60, 2], l])));
    }

    // Handshake targets: pair mode at every stage, raw mode with a real
    // peer's commands, traffic after the handshake (raw and framed).
    for (mech, name) in [
        (Mech::Null, "handshake_null"),
        (Mech::Plain, "handshake_plain"),
        (Mech::Curve, "handshake_curve"),
    ] {
        for roles in [0u8, 1, 0x21, 0x40, 0x61, 0xE0] {
            for stage in 1..=5u8 {
                v.push((name, vec![roles, 0, 0, stage, 0]));
            }
            v.push((name, vec![roles, 0x68, 2, 2, 1, 0, 3, 0x20]));
            v.push((name, vec![roles, 0, 0, 3, 1, 0, 20, 0]));
            let traffic = [
                1u8, 5, b'h', b'e', b'l', b'l', b'o', 2, 6, 4, b'P', b'I', b'N', b'G', 0,
            ];
            v.push((name, cat(&[&[roles | 0x10, 0x41, 0, 15, 0], &traffic])));
            let (t, p) = pair_configs(mech, roles, 0);
            let (_, from_peer) = transcript(t, p);
            v.push((
                name,
                cat(&[
                    &[roles | 2, 0, 0, 0, 0],
                    &from_peer[64.min(from_peer.len())..],
                ]),
            ));
        }
    }

    // Frames of every revision.
    for (vi, ver) in VERSIONS.into_iter().enumerate() {
        let mut s = BytesMut::new();
        encode_frame(ver, true, false, b"hello", &mut s);
        encode_frame(ver, false, false, &[9u8; 300], &mut s);
        if ver.is_v2_framing() {
            encode_frame(ver, false, true, b"\x04PING\x00\x0a", &mut s);
        }
        encode_frame(ver, false, false, b"", &mut s);
        for max_sel in 0..4u8 {
            let b0 = vi as u8 | max_sel << 2 | 0x30;
            let cfg: &[u8] = if max_sel == 2 {
                &[b0, 1, 0, 10]
            } else {
                &[b0, 10, 0]
            };
            v.push(("decoder", cat(&[cfg, &s])));
        }
        v.push(("decoder", cat(&[&[vi as u8 | 0x50, 0, 3], &s])));
    }
    for (mech, _, s) in &streams {
        if *mech != Mech::Curve && s.len() > 64 {
            v.push(("decoder", cat(&[&[3, 0, 2], &s[64..]])));
        }
    }

    // Commands and metadata.
    let mut meta = BytesMut::new();
    encode_property(b"Socket-Type", b"DEALER", &mut meta);
    encode_property(b"Identity", b"peer", &mut meta);
    encode_property(b"X-Hello", b"world", &mut meta);
    for body in [
        cat(&[b"\x05READY", &meta]),
        b"\x05ERROR\x0bbad thing!!".to_vec(),
        b"\x05HELLO\x05admin\x06secret".to_vec(),
        b"\x07WELCOME".to_vec(),
        cat(&[b"\x08INITIATE", &meta]),
        b"\x04PING\x00\x0a".to_vec(),
        b"\x04PING\x01\x00abcdefghijklmnopqrst".to_vec(),
        b"\x04PONGctx".to_vec(),
        b"\x09SUBSCRIBEtopic".to_vec(),
        b"\x06CANCELtopic".to_vec(),
        b"\x04JOINgroup".to_vec(),
        b"\x01topic".to_vec(),
    ] {
        v.push(("command", cat(&[&[0], &body])));
        v.push(("command", cat(&[&[6], &body])));
    }
    v.push(("metadata", cat(&[&[ZMQ_ROUTER as u8], &meta])));
    v.push(("metadata", cat(&[&[ZMQ_PUB as u8], &meta])));
    v.push((
        "metadata",
        vec![ZMQ_PAIR as u8, 4, b'X', b'-', b'a', b'b', 0, 0, 0, 0],
    ));

    // ZAP replies, through each route.
    let zap_frames = |status: &[u8], meta: &[u8]| {
        let mut f = Vec::new();
        for fr in [&b""[..], b"1.0", b"1", status, b"OK", b"user", meta] {
            f.push(fr.len() as u8);
            f.extend_from_slice(fr);
        }
        f
    };
    let mut zmeta = BytesMut::new();
    encode_property(b"X-Zap", b"1", &mut zmeta);
    for route in 0..4u8 {
        for status in [&b"200"[..], b"300", b"400", b"500", b"600"] {
            let b0 = route << 5 | ZMQ_ROUTER as u8;
            v.push(("zap_reply", cat(&[&[b0], &zap_frames(status, &zmeta)])));
        }
        v.push((
            "zap_reply",
            vec![route << 5 | ZMQ_DEALER as u8, 0, 3, b'1', b'.', b'0'],
        ));
    }

    // ws: what our encoders send, both directions, plus control frames.
    for client in [true, false] {
        let mut enc = ws::FrameEncoder::new(client, None);
        let mut wire = BytesMut::new();
        let (t, _) = pair_configs(Mech::Null, 0x20, 0x60);
        let mut hs = Handshake::new(t);
        let mut greet = BytesMut::from(&null_greeting()[..]);
        let _ = hs.input(&mut greet);
        let mut zmtp = hs.output().split();
        encode_frame(Version::V3_1, true, false, b"hello", &mut zmtp);
        encode_frame(Version::V3_1, false, false, &[5u8; 200], &mut zmtp);
        encode_ping(Version::V3_1, 10, b"", &mut zmtp);
        encode_subscription(Version::V3_1, true, b"t", &mut zmtp);
        enc.encode(&zmtp, &mut wire);
        let b0 = u8::from(client);
        v.push(("ws_frames", cat(&[&[b0, 0], &wire])));
        v.push(("ws_frames", cat(&[&[b0 | 2, 3], &wire])));
        v.push(("ws_frames", cat(&[&[b0 | 8, 1], &wire])));
    }
    v.push((
        "ws_frames",
        vec![1, 0, 0x89, 0x82, 1, 2, 3, 4, 5, 6, 0x88, 0x80, 0, 0, 0, 0],
    ));
    v.push((
        "ws_frames",
        vec![0, 0, 0x82, 0x7F, 0, 0, 0, 1, 0, 0, 0, 0, 0],
    ));
    v.push((
        "ws_encoder",
        vec![
            1, 0, 0, 5, b'h', b'e', b'l', b'l', b'o', 2, 0, 4, 3, b'x', 6, 0, 7, 2, 1, 2,
        ],
    ));
    v.push((
        "ws_encoder",
        vec![0, 2, 0x40, 3, 1, 2, 3, 0x81, 2, 9, 5, 1, b't', 3, 20],
    ));
    let mut mask = ws::MaskGen::new();
    let key = ws::new_key(&mut mask);
    for mech in [&b"NULL"[..], b"PLAIN", b"CURVE"] {
        let req = ws::client_request("/", "localhost:5555", &key, mech);
        v.push(("ws_http", req.clone().into_bytes()));
        if let Ok(Some((h, _))) = ws::parse_head(req.as_bytes()) {
            if let Ok((resp, _)) = ws::server_accept(&h, mech) {
                v.push(("ws_http", resp.into_bytes()));
            }
        }
    }

    // Z85: the RFC 32 vector and CURVE keys.
    v.push(("z85", b"HelloWorld".to_vec()));
    for k in [curve_keys().0, curve_keys().1] {
        v.push(("z85", z85::encode(&k).expect("32 bytes").into_bytes()));
    }
    v.push(("z85", b"%nSc1#####".to_vec()));

    // Trie operations.
    v.push((
        "trie",
        vec![
            0, 2, b'a', b'b', 0, 1, b'a', 2, 3, b'a', b'b', b'c', 3, 0, 1, 2, b'a', b'b', 3, 0,
        ],
    ));
    v.push((
        "trie",
        vec![
            4, 1, b'a', 0x14, 2, b'a', b'b', 7, 3, b'a', b'b', b'c', 5, 1, b'a', 6, 0, 0x18, 1,
            b'a', 3, 0,
        ],
    ));
    v.push((
        "trie",
        vec![
            0xE0, 1, b'q', 0x62, 0, 0x82, 4, 1, 2, 3, 4, 0xE4, 1, b'z', 0xE7, 1, b'z',
        ],
    ));

    // Sessions: every listener and mode, with the seeds of the engine.
    for l in 0..8u8 {
        for mode in 0..4u8 {
            let b0 = l | mode << 3 | 0x20;
            v.push(("session", vec![b0]));
            let payload: Vec<u8> = match mode {
                0 => cat(&[&v3_greeting(b"NULL"), b"\x04\x05\x05READY"]),
                1 => b"\x04\x1a\x05READY\x0bSocket-Type\x00\x00\x00\x06DEALER".to_vec(),
                2 => b"\x01\x05hello\x00\x03abc\x02\x00\x00\x00\x00\x00\x00\x00\x04abcd".to_vec(),
                _ => vec![
                    1, 5, b'h', b'e', b'l', b'l', b'o', 0, 2, b'h', b'i', 2, 7, 4, b'P', b'I',
                    b'N', b'G', 0, 10,
                ],
            };
            v.push(("session", cat(&[&[b0], &payload])));
        }
    }

    for b0 in 0..64u8 {
        let payload: &[u8] = match (b0 >> 4) & 3 {
            0 => &v3_greeting(b"NULL"),
            1 => b"\x04\x1a\x05READY\x0bSocket-Type\x00\x00\x00\x06ROUTER",
            2 => b"\x01\x05hello\x00\x03abc\x02\x00\x00\x00\x00\x00\x00\x00\x04abcd",
            _ => &[
                1, 5, b'h', b'e', b'l', b'l', b'o', 0, 2, b'h', b'i', 2, 7, 4, b'P', b'I', b'N',
                b'G', 0, 10,
            ],
        };
        v.push(("session_client", cat(&[&[b0], payload])));
    }

    // Socket options: every number with an int, an int64 and a string.
    for st in [ZMQ_SUB, ZMQ_ROUTER, ZMQ_XPUB, ZMQ_REQ, ZMQ_STREAM] {
        let mut ops = vec![st as u8];
        for opt in 0..=110u8 {
            ops.extend_from_slice(&[opt, 0x0C, 0, 0, 0, 0, 1]);
        }
        v.push(("setsockopt", ops.clone()));
        let mut ops = vec![st as u8];
        for opt in 0..=110u8 {
            ops.extend_from_slice(&[opt, 0x0E, 5, b'h', b'e', b'l', b'l', b'o']);
            ops.extend_from_slice(&[opt, 0x0D, 0, 0, 0, 0, 0, 0, 0, 0, 100]);
        }
        v.push(("setsockopt", ops));
    }
    v
}
