use super::*;
use crate::zmtp::codec::Frame;
use crate::zmtp::codec::ProtocolError;
use crate::zmtp::error::HandshakeEvent;
use crate::zmtp::socket_type::*;
use crate::zmtp::testutil::{XorShift, LIBZMQ_NULL_GREETING};

mod curve;
mod legacy;
mod limits;
mod zap;

use curve::*;
use limits::*;

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
            Ok(Progress::Done(e)) => self.est = Some(*e),
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
