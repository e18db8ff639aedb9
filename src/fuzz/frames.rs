//! Frames and commands: the decoder of every revision, command parsing.

use bytes::{Bytes, BytesMut};

use super::*;
use crate::zmtp::codec::{encode_frame, Decoder, Frame, ProtocolError, Version};
use crate::zmtp::command::{parse_error_reason, split_name, Command, PING_MAX_CONTEXT};
use crate::zmtp::subscription::{encode_subscription, Subscription};
use crate::zmtp::traffic::{classify, Inbound};

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
        let group = body.starts_with(b"\x04JOIN") || body.starts_with(b"\x05LEAVE");
        let want = match parsed.clone() {
            // A DISH's JOIN/LEAVE (draft RADIO/DISH): the whole body.
            _ if group => Inbound::Group(frame.body.clone()),
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
