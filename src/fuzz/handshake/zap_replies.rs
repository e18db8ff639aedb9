//! ZAP replies fed to a handshake paused on its ZAP request.

use super::props::check_metadata;
use super::*;

/// Splits `data` into frames: `len data`, a length of 255 meaning a
/// 2-octet length follows. At most 16 frames.
pub(super) fn split_frames(data: &[u8]) -> Vec<Bytes> {
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
pub(super) fn handshake_at_zap(route: u8, socket_type: i32) -> Option<Handshake> {
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
