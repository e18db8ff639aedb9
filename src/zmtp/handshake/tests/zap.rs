//! ZAP during PLAIN and NULL handshakes (RFC 27).

use super::*;

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
