//! CURVE handshakes, traffic and hostile commands.

use super::*;
use crate::zmtp::mechanism::tests::{sent, shared};
use crate::zmtp::socket_type::{ZMQ_DEALER, ZMQ_ROUTER};
use crate::zmtp::testutil::XorShift;

/// A client and a server that know each other's keys, plus the
/// client's long-term public key.
fn pair() -> (CurveClient, CurveServer, [u8; 32]) {
    let (spub, ssec) = keypair();
    let (cpub, csec) = keypair();
    (
        CurveClient::new(cpub, csec, spub),
        CurveServer::new(ssec),
        cpub,
    )
}

/// Runs the handshake to the end; returns both sides' shared state.
fn connected() -> (CurveClient, CurveServer, Shared, Shared) {
    let (mut c, mut s, _) = pair();
    let (mut cs, mut ss) = (shared(ZMQ_DEALER), shared(ZMQ_ROUTER));
    c.start(&mut cs).unwrap();
    s.start(&mut ss).unwrap();
    let hello = sent(&mut cs).remove(0);
    s.process_command(hello, &mut ss).unwrap();
    let welcome = sent(&mut ss).remove(0);
    c.process_command(welcome, &mut cs).unwrap();
    let initiate = sent(&mut cs).remove(0);
    s.process_command(initiate, &mut ss).unwrap();
    assert!(ss.zap_request.take().is_some());
    s.zap_reply(ZapReply::NoHandler, &mut ss).unwrap();
    let ready = sent(&mut ss).remove(0);
    c.process_command(ready, &mut cs).unwrap();
    assert!(c.is_ready() && s.is_ready());
    (c, s, cs, ss)
}

#[test]
fn command_sizes_and_prefixes_follow_rfc_26() {
    let (mut c, mut s, cpub) = pair();
    let (mut cs, mut ss) = (shared(ZMQ_DEALER), shared(ZMQ_ROUTER));
    c.start(&mut cs).unwrap();
    let hello = sent(&mut cs).remove(0);
    assert_eq!(hello.len(), HELLO_LEN);
    assert!(hello.starts_with(b"\x05HELLO\x01\x00"));
    assert!(hello[8..80].iter().all(|&b| b == 0), "72 octets of padding");
    assert_eq!(u64_at(&hello, 112), 1, "HELLO carries nonce 1");
    s.process_command(hello, &mut ss).unwrap();
    let welcome = sent(&mut ss).remove(0);
    assert_eq!(welcome.len(), WELCOME_LEN);
    assert!(welcome.starts_with(b"\x07WELCOME"));
    c.process_command(welcome, &mut cs).unwrap();
    let initiate = sent(&mut cs).remove(0);
    assert!(initiate.starts_with(b"\x08INITIATE"));
    assert!(initiate.len() >= INITIATE_MIN);
    assert_eq!(u64_at(&initiate, 105), 2, "INITIATE carries nonce 2");
    s.process_command(initiate, &mut ss).unwrap();
    let req = ss.zap_request.take().unwrap();
    assert_eq!(req.mechanism, b"CURVE");
    assert_eq!(req.credentials, vec![Bytes::copy_from_slice(&cpub)]);
    s.zap_reply(
        ZapReply::from_status(b"200", Bytes::new(), Bytes::new()),
        &mut ss,
    )
    .unwrap();
    let ready = sent(&mut ss).remove(0);
    assert!(ready.starts_with(b"\x05READY"));
    assert_eq!(u64_at(&ready, 6), 1, "READY carries the server's nonce 1");
    c.process_command(ready, &mut cs).unwrap();
    assert_eq!(&cs.peer_props[0].1[..], b"ROUTER");
    assert_eq!(&ss.peer_props[0].1[..], b"DEALER");
}

#[test]
fn traffic_round_trip_with_flags_and_increasing_nonces() {
    let (mut c, mut s, _, _) = connected();
    let mut cc = c.take_cipher().unwrap();
    let mut sc = s.take_cipher().unwrap();
    let mut wire = BytesMut::new();
    cc.tx.seal(FLAG_MORE, b"part-1", &mut wire);
    cc.tx.seal(0, b"", &mut wire);
    let mut d = crate::zmtp::Decoder::new(Version::V3_1, -1);
    let f1 = d.decode(&mut wire).unwrap().unwrap();
    let f2 = d.decode(&mut wire).unwrap().unwrap();
    // Client messages start at nonce 3 (HELLO 1, INITIATE 2).
    assert_eq!(u64_at(&f1.body, 8), 3);
    assert_eq!(u64_at(&f2.body, 8), 4);
    assert_eq!(
        sc.rx.open(&f1.body),
        Ok((FLAG_MORE, Bytes::from_static(b"part-1")))
    );
    assert_eq!(sc.rx.open(&f2.body), Ok((0, Bytes::new())));
    sc.tx.seal(FLAG_COMMAND, b"\x04PONG", &mut wire);
    let f = d.decode(&mut wire).unwrap().unwrap();
    assert_eq!(u64_at(&f.body, 8), 2, "server messages start at 2");
    assert_eq!(cc.rx.open(&f.body).unwrap().0, FLAG_COMMAND);
}

#[test]
fn subscriptions_are_commands_for_3_1_and_messages_for_3_0() {
    let (mut c, mut s, _, _) = connected();
    let mut cc = c.take_cipher().unwrap();
    let mut sc = s.take_cipher().unwrap();
    let mut d = crate::zmtp::Decoder::new(Version::V3_1, -1);
    let mut wire = BytesMut::new();
    cc.tx.seal_subscription(true, b"topic", &mut wire);
    let f = d.decode(&mut wire).unwrap().unwrap();
    assert_eq!(
        sc.rx.open(&f.body),
        Ok((FLAG_COMMAND, Bytes::from_static(b"\x09SUBSCRIBEtopic")))
    );
    cc.set_version(Version::V3_0);
    cc.tx.seal_subscription(false, b"t", &mut wire);
    let f = d.decode(&mut wire).unwrap().unwrap();
    assert_eq!(sc.rx.open(&f.body), Ok((0, Bytes::from_static(b"\x00t"))));
}

#[test]
fn server_refuses_hello_for_another_server_key() {
    let (_, mut s, _) = pair();
    let (other_pub, _) = keypair();
    let (cpub, csec) = keypair();
    let mut c = CurveClient::new(cpub, csec, other_pub);
    let (mut cs, mut ss) = (shared(ZMQ_DEALER), shared(ZMQ_ROUTER));
    c.start(&mut cs).unwrap();
    let hello = sent(&mut cs).remove(0);
    assert_eq!(
        s.process_command(hello, &mut ss),
        Err(protocol(code::ZMTP_CRYPTOGRAPHIC))
    );
}

#[test]
fn tampered_handshake_commands_are_refused() {
    let (mut c, mut s, _) = pair();
    let (mut cs, mut ss) = (shared(ZMQ_DEALER), shared(ZMQ_ROUTER));
    c.start(&mut cs).unwrap();
    let hello = sent(&mut cs).remove(0);
    s.process_command(hello, &mut ss).unwrap();
    let welcome = sent(&mut ss).remove(0);
    let mut bad = welcome.to_vec();
    bad[100] ^= 1;
    let mut c2 = CurveClient::new(c.public_key, c.secret_key, c.server_key);
    c2.cn_public = c.cn_public;
    c2.cn_secret = c.cn_secret;
    c2.state = ClientState::ExpectWelcome;
    assert_eq!(
        c2.process_command(Bytes::from(bad), &mut shared(ZMQ_DEALER)),
        Err(protocol(code::ZMTP_CRYPTOGRAPHIC))
    );
    c.process_command(welcome, &mut cs).unwrap();
    let initiate = sent(&mut cs).remove(0);
    // The cookie, the box, and the box's nonce, each tampered with.
    for at in [20, 200, 106] {
        let mut bad = initiate.to_vec();
        bad[at] ^= 0x80;
        let mut s2 = CurveServer::new(s.secret_key);
        s2.cn_public = s.cn_public;
        s2.cn_secret = s.cn_secret;
        s2.cn_client = s.cn_client;
        s2.cookie_key = s.cookie_key;
        s2.state = ServerState::WaitingInitiate;
        assert_eq!(
            s2.process_command(Bytes::from(bad), &mut shared(ZMQ_ROUTER)),
            Err(protocol(code::ZMTP_CRYPTOGRAPHIC)),
            "byte {at}"
        );
    }
}

#[test]
fn short_and_malformed_commands_have_libzmq_codes() {
    let (mut c, mut s, _) = pair();
    let mut ss = shared(ZMQ_ROUTER);
    let b = |x: &'static [u8]| Bytes::from_static(x);
    assert_eq!(
        s.process_command(b(b"\x05HELL"), &mut ss),
        Err(protocol(code::ZMTP_MALFORMED_COMMAND_UNSPECIFIED))
    );
    assert_eq!(
        s.process_command(b(b"\x05HELLO\x01\x00"), &mut ss),
        Err(protocol(code::ZMTP_MALFORMED_COMMAND_HELLO))
    );
    assert_eq!(
        s.process_command(b(b"\x05READY\x00"), &mut ss),
        Err(protocol(code::ZMTP_UNEXPECTED_COMMAND))
    );
    let mut cs = shared(ZMQ_DEALER);
    c.start(&mut cs).unwrap();
    assert_eq!(
        c.process_command(b(b"\x07WELCOME\x00"), &mut cs),
        Err(protocol(code::ZMTP_CRYPTOGRAPHIC))
    );
    assert_eq!(
        c.process_command(b(b"\x05READY"), &mut cs),
        Err(protocol(code::ZMTP_UNEXPECTED_COMMAND))
    );
    assert_eq!(
        c.process_command(b(b"\x05ERROR\x05ab"), &mut cs),
        Err(protocol(code::ZMTP_MALFORMED_COMMAND_ERROR))
    );
    assert_eq!(
        c.process_command(b(b"\x05ERROR\x03400"), &mut cs),
        Err(HandshakeError::PeerError { reason: b(b"400") })
    );
}

#[test]
fn boxes_with_bogus_lengths_are_refused_by_their_actual_size() {
    // CURVE boxes carry no length of their own: every size is the
    // frame's, so an oversized command (up to the 64 KiB the handshake
    // lets through) is judged on what is there, with libzmq's codes.
    let big = |prefix: &[u8], len: usize| {
        let mut v = prefix.to_vec();
        v.resize(len, 0xA5);
        Bytes::from(v)
    };
    let (mut c, mut s, _) = pair();
    let mut ss = shared(ZMQ_ROUTER);
    assert_eq!(
        s.process_command(big(b"\x05HELLO\x01\x00", 64 * 1024), &mut ss),
        Err(protocol(code::ZMTP_MALFORMED_COMMAND_HELLO))
    );
    assert_eq!(
        s.process_command(big(b"\x05HELLO\x01\x00", HELLO_LEN + 1), &mut ss),
        Err(protocol(code::ZMTP_MALFORMED_COMMAND_HELLO))
    );
    let mut cs = shared(ZMQ_DEALER);
    c.start(&mut cs).unwrap();
    assert_eq!(
        c.process_command(big(b"\x07WELCOME", 64 * 1024), &mut cs),
        Err(protocol(code::ZMTP_CRYPTOGRAPHIC))
    );
    // A server past HELLO fed a 64 KiB INITIATE whose boxes are noise.
    let (mut c, mut s, _) = pair();
    let (mut cs, mut ss) = (shared(ZMQ_DEALER), shared(ZMQ_ROUTER));
    c.start(&mut cs).unwrap();
    s.process_command(sent(&mut cs).remove(0), &mut ss).unwrap();
    assert!(!sent(&mut ss).is_empty());
    assert_eq!(
        s.process_command(big(b"\x08INITIATE", 64 * 1024), &mut ss),
        Err(protocol(code::ZMTP_CRYPTOGRAPHIC))
    );
    // Traffic: a 1 MiB MESSAGE of noise, and MESSAGE boxes cut at
    // every length below the minimum, are refused.
    let (mut c, _, _, _) = connected();
    let mut rx = c.take_cipher().unwrap().rx;
    assert!(rx.open(&big(b"\x07MESSAGE", 1 << 20)).is_err());
    for n in 0..MESSAGE_MIN {
        assert!(rx.open(&big(b"\x07MESSAGE", n.max(8))[..n]).is_err());
    }
}

#[test]
fn truncated_and_random_input_never_panics() {
    let mut rng = XorShift::new(26);
    let (mut c0, mut s0, _) = pair();
    let (mut cs, mut ss) = (shared(ZMQ_DEALER), shared(ZMQ_ROUTER));
    c0.start(&mut cs).unwrap();
    let hello = sent(&mut cs).remove(0);
    s0.process_command(hello.clone(), &mut ss).unwrap();
    let welcome = sent(&mut ss).remove(0);
    c0.process_command(welcome.clone(), &mut cs).unwrap();
    let initiate = sent(&mut cs).remove(0);
    let real = [hello, welcome, initiate];
    for round in 0..2000 {
        let base = &real[round % 3];
        let cut = rng.below(base.len() + 1);
        let mut body = base[..cut].to_vec();
        if round % 2 == 0 {
            let n = rng.below(64);
            let extra = rng.bytes(n);
            body.extend_from_slice(&extra);
        }
        if !body.is_empty() && round % 5 == 0 {
            let i = rng.below(body.len());
            let bit = rng.below(8);
            body[i] ^= 1 << bit;
        }
        let body = Bytes::from(body);
        let (mut c, mut s, _) = pair();
        let _ = s.process_command(body.clone(), &mut shared(ZMQ_ROUTER));
        let mut cs = shared(ZMQ_DEALER);
        c.start(&mut cs).unwrap();
        let _ = c.process_command(body.clone(), &mut cs);
        // The server in its second state gets the mangled INITIATE.
        let mut s2 = CurveServer::new(s0.secret_key);
        s2.cn_client = s0.cn_client;
        s2.cn_secret = s0.cn_secret;
        s2.cookie_key = s0.cookie_key;
        s2.state = ServerState::WaitingInitiate;
        let _ = s2.process_command(body, &mut shared(ZMQ_ROUTER));
    }
    let (mut c, _, _, _) = connected();
    let mut rx = c.take_cipher().unwrap().rx;
    for n in 0..200 {
        let body = rng.bytes(n);
        assert!(rx.open(&body).is_err());
        let mut m = b"\x07MESSAGE".to_vec();
        m.extend_from_slice(&rng.bytes(n));
        assert!(rx.open(&m).is_err());
    }
}

/// The MESSAGE cipher gives the same bytes whichever backend seals or opens
/// (libsodium for large boxes when it is linked, RustCrypto otherwise):
/// each box at sizes on both sides of the switch is sealed by `MsgBox` and
/// must equal RustCrypto's box byte for byte, open with RustCrypto, and
/// RustCrypto's box must open with `MsgBox`; a flipped MAC or ciphertext
/// bit must not open and must leave the buffer as it was.
#[test]
fn message_boxes_are_the_same_with_either_backend() {
    let (apub, asec) = keypair();
    let (bpub, bsec) = keypair();
    let ours = MsgBox::new(&bpub, &asec);
    let theirs = salsa_box(&apub, &bsec);
    #[cfg(all(monocoque_sodium, not(miri)))]
    assert!(
        ours.uses_sodium(),
        "libsodium was linked but refused the keys"
    );
    let mut rng = XorShift::new(11);
    for size in [0usize, 1, 64, 511, 512, 513, 1024, 4097, 65536] {
        let plain: Vec<u8> = (0..size).map(|_| rng.next() as u8).collect();
        let nonce = nonce24(b"CurveZMQMESSAGEC", &(size as u64 + 3).to_be_bytes());
        let mut ct = plain.clone();
        let mac = ours.seal(&nonce, &mut ct).unwrap();
        let mut rc = plain.clone();
        let rc_mac = theirs
            .encrypt_in_place_detached((&nonce).into(), b"", &mut rc)
            .unwrap();
        assert_eq!(ct, rc, "ciphertext at {size}");
        assert_eq!(&mac[..], &rc_mac[..], "MAC at {size}");
        let mut back = ct.clone();
        theirs
            .decrypt_in_place_detached((&nonce).into(), b"", &mut back, (&mac).into())
            .unwrap();
        assert_eq!(back, plain, "RustCrypto opens ours at {size}");
        let mut back = rc.clone();
        assert!(
            ours.open(&nonce, &mut back, &mac),
            "ours opens RustCrypto's at {size}"
        );
        assert_eq!(back, plain);
        let mut bad = mac;
        bad[size % MAC] ^= 1;
        let mut back = ct.clone();
        assert!(!ours.open(&nonce, &mut back, &bad), "forged MAC at {size}");
        assert_eq!(back, ct, "a refused box is left as it was");
        if size > 0 {
            back[size / 2] ^= 0x80;
            assert!(!ours.open(&nonce, &mut back, &mac), "flipped bit at {size}");
        }
    }
}

/// `open_owned` opens a uniquely owned frame in its own buffer (the
/// message is a slice of it), copies a shared one, and refuses forged and
/// replayed boxes as `open` does. Sizes on both sides of SODIUM_FROM;
/// under Miri only RustCrypto runs.
#[test]
fn open_owned_opens_in_place_and_refuses_forged_and_replayed_boxes() {
    let (mut c, mut s, _, _) = connected();
    let mut cc = c.take_cipher().unwrap();
    let mut sc = s.take_cipher().unwrap();
    let mut d = crate::zmtp::Decoder::new(Version::V3_1, -1);
    let sizes: &[usize] = if cfg!(miri) {
        &[0, 5, 40]
    } else {
        &[0, 5, 511, 512, 4096, 65536]
    };
    for &size in sizes {
        let body: Vec<u8> = (0..size).map(|i| (i * 7 + size) as u8).collect();
        let mut wire = BytesMut::new();
        cc.tx.seal(FLAG_MORE, &body, &mut wire);
        // The frame is split off `wire`, then `wire` (the rest of that
        // buffer) is dropped: the frame owns its buffer alone.
        let f = d.decode(&mut wire).unwrap().unwrap();
        drop(wire);
        let mut wire = BytesMut::new();
        let start = f.body.as_ptr() as usize;
        let end = start + f.body.len();
        let (flags, plain) = sc.rx.open_owned(f.body).unwrap();
        assert_eq!(flags, FLAG_MORE);
        assert_eq!(&plain[..], &body[..], "size {size}");
        if size > 0 {
            let p = plain.as_ptr() as usize;
            assert!(p >= start && p + plain.len() <= end, "in place at {size}");
        }
        // Shared buffer: copied, same result; the original stays boxed.
        cc.tx.seal(0, &body, &mut wire);
        let f = d.decode(&mut wire).unwrap().unwrap();
        let keep = f.body.clone();
        assert_eq!(sc.rx.open_owned(f.body), Ok((0, Bytes::from(body.clone()))));
        assert!(
            size == 0 || keep[33..] != body[..],
            "shared buffer untouched"
        );
        // Replayed: refused before any decryption.
        assert_eq!(sc.rx.open_owned(keep), Err(code::ZMTP_INVALID_SEQUENCE));
        // Forged: one bit flipped in the box.
        cc.tx.seal(0, &body, &mut wire);
        let f = d.decode(&mut wire).unwrap().unwrap();
        let mut forged = BytesMut::from(&f.body[..]);
        let at = forged.len() - 1;
        forged[at] ^= 1;
        assert_eq!(
            sc.rx.open_owned(forged.freeze()),
            Err(code::ZMTP_CRYPTOGRAPHIC)
        );
    }
}
