//! Seed inputs for every target, from real handshakes and the encoders.

use bytes::BytesMut;

use super::handshake::{curve_keys, pair_configs, Driver, Mech, ZapPolicy};
use super::*;
use crate::util::z85;
use crate::zmtp::codec::{encode_frame, Version};
use crate::zmtp::command::encode_ping;
use crate::zmtp::handshake::{Handshake, HandshakeConfig};
use crate::zmtp::metadata::encode_property;
use crate::zmtp::socket_type::*;
use crate::zmtp::subscription::encode_subscription;
use crate::zmtp::ws;

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
        let mut hs = Handshake::without_greeting(t).expect("NULL starts");
        // The first command (READY) as ZMTP, for the encoder below.
        let mut zmtp = BytesMut::new();
        for c in hs.take_commands() {
            encode_frame(Version::V3_1, false, true, &c, &mut zmtp);
        }
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
