//! Version fallback: ZMTP 3.0, 2.0 and 1.0 peers (RFC 23/15/13).

use super::*;

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
    let mut buf = BytesMut::from(&[0xFF, 0, 0, 0, 0, 0, 0, 0, 4, 0x7F, 1, ZMQ_ROUTER as u8][..]);
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
