//! What a peer can make the handshake hold: frame-size limits.

use super::*;

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
pub(super) fn greeting(minor: u8, mechanism: &[u8]) -> Vec<u8> {
    let mut g = LIBZMQ_NULL_GREETING.to_vec();
    g[11] = minor;
    g[12..32].copy_from_slice(&crate::zmtp::greeting::mechanism_field(mechanism));
    g
}

/// A long-form ZMTP 2.0/3.x frame header announcing `len` bytes.
pub(super) fn long_header(flags: u8, len: u64) -> Vec<u8> {
    let mut h = vec![flags | 0x02];
    h.extend_from_slice(&len.to_be_bytes());
    h
}

/// Every mechanism role: the config and its greeting's mechanism name.
pub(super) fn every_role() -> Vec<HandshakeConfig> {
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

/// Frames handed over whole (ZWS 2.0, `input_frame`) meet the same rules
/// as frames read from ZMTP bytes: the size limit (on the body, nothing
/// allocated from it), commands only, and only once the mechanism runs.
#[test]
fn frames_handed_over_whole_meet_the_zmtp_path_rules() {
    let frame = |command, body: Vec<u8>| Frame {
        more: false,
        command,
        body: Bytes::from(body),
    };
    let ready = || {
        let mut md = BytesMut::new();
        crate::zmtp::metadata::encode_property(b"Socket-Type", b"DEALER", &mut md);
        let mut body = b"\x05READY".to_vec();
        body.extend_from_slice(&md);
        body
    };
    // Too large for the handshake: ZMQ_MAXMSGSIZE when smaller than 64 KiB.
    let mut c = cfg(ZMQ_ROUTER);
    c.max_msg_size = 10;
    let mut hs = Handshake::without_greeting(c).unwrap();
    let e = hs.input_frame(frame(true, ready())).unwrap_err();
    assert_eq!(
        e,
        HandshakeError::Frame(ProtocolError::TooLarge {
            size: ready().len() as u64,
            max: 10
        })
    );
    // The failure sticks, as on the ZMTP path.
    assert_eq!(hs.input_frame(frame(true, ready())).unwrap_err(), e);
    let mut hs = Handshake::without_greeting(cfg(ZMQ_ROUTER)).unwrap();
    let e = hs.input_frame(frame(true, vec![0; HANDSHAKE_FRAME_MAX + 1]));
    assert!(matches!(
        e,
        Err(HandshakeError::Frame(ProtocolError::TooLarge { .. }))
    ));
    // A message where a command belongs.
    let mut hs = Handshake::without_greeting(cfg(ZMQ_ROUTER)).unwrap();
    assert_eq!(
        hs.input_frame(frame(false, ready())).unwrap_err(),
        HandshakeError::Protocol(code::ZMTP_UNEXPECTED_COMMAND)
    );
    // Before the greeting (a ZMTP handshake) there is no frame to take.
    let mut hs = Handshake::new(cfg(ZMQ_ROUTER));
    assert_eq!(
        hs.input_frame(frame(true, ready())).unwrap_err(),
        HandshakeError::InvalidState
    );
    // The honest READY completes a NULL handshake, our READY queued as a
    // body before it.
    let mut hs = Handshake::without_greeting(cfg(ZMQ_ROUTER)).unwrap();
    let ours = hs.take_commands();
    assert_eq!(ours.len(), 1);
    assert!(ours[0].starts_with(b"\x05READY"));
    match hs.input_frame(frame(true, ready())).unwrap() {
        Progress::Done(est) => {
            assert_eq!(est.peer_socket_type, Some(ZMQ_DEALER));
            assert!(est.output.is_empty() && est.commands.is_empty());
        }
        p => panic!("{p:?}"),
    }
}
