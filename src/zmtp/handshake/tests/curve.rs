//! CURVE handshakes, then sealed traffic (RFC 26).

use super::*;

pub(super) fn curve(socket_type: i32, server: bool, server_key: [u8; 32]) -> HandshakeConfig {
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
pub(super) fn curve_server(socket_type: i32) -> (HandshakeConfig, [u8; 32]) {
    let c = curve(socket_type, true, [0; 32]);
    let MechanismConfig::Curve { public_key, .. } = &c.mechanism else {
        unreachable!()
    };
    let pk = *public_key;
    (c, pk)
}

pub(super) fn client_key(c: &HandshakeConfig) -> [u8; 32] {
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
