//! ZMTP commands: parsing a command frame's body into a `Command`, and
//! encoding the commands this engine sends.
//!
//! A command body is `name-size name data` (RFC 23 §Framing/Commands).
//! Names are matched byte for byte, case-sensitively, as libzmq does.
//! Parse errors carry the `ZMQ_PROTOCOL_ERROR_ZMTP_*` code libzmq uses for
//! that command; the mechanisms decide whether the code is reported (see
//! `HandshakeError::event`).

use bytes::{BufMut, Bytes, BytesMut};

use super::codec::{encode_command, encode_command_header, encode_header, Version};
use super::error::code;

/// A PING's context is at most 16 octets (RFC 37 §Connection Heartbeating).
pub const PING_MAX_CONTEXT: usize = 16;

/// One decoded command. Mechanism-specific bodies (HELLO, WELCOME,
/// INITIATE) are kept whole; the mechanism parses them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// NULL/PLAIN/CURVE READY: the property list.
    Ready { metadata: Bytes },
    /// ERROR: the reason (≤ 255 octets).
    Error { reason: Bytes },
    /// HELLO: mechanism-specific body (PLAIN: username and password).
    Hello { data: Bytes },
    /// WELCOME: mechanism-specific body (empty for PLAIN).
    Welcome { data: Bytes },
    /// INITIATE: mechanism-specific body (PLAIN: the property list).
    Initiate { data: Bytes },
    /// PING: TTL in tenths of a second, and a context to echo. The context
    /// is kept whole even when longer than 16 octets: libzmq accepts such a
    /// PING and truncates the context when it answers (see `encode_pong`).
    Ping { ttl: u16, context: Bytes },
    /// PONG: the echoed context.
    Pong { context: Bytes },
    /// SUBSCRIBE (ZMTP 3.1): the topic prefix.
    Subscribe { topic: Bytes },
    /// CANCEL (ZMTP 3.1): the topic prefix.
    Cancel { topic: Bytes },
    /// Any other command (JOIN, LEAVE, MESSAGE, a future command...).
    Unknown { name: Bytes, data: Bytes },
}

/// Splits a command body into name and data. Fails when the body is empty,
/// the name is empty, or the name runs past the body.
pub fn split_name(body: &Bytes) -> Result<(Bytes, Bytes), u32> {
    let Some(&len) = body.first() else {
        return Err(code::ZMTP_MALFORMED_COMMAND_UNSPECIFIED);
    };
    let len = usize::from(len);
    if len == 0 || body.len() < 1 + len {
        return Err(code::ZMTP_MALFORMED_COMMAND_UNSPECIFIED);
    }
    Ok((body.slice(1..1 + len), body.slice(1 + len..)))
}

/// ERROR data: `short-size reason`. Octets after the reason are tolerated,
/// as libzmq does.
pub fn parse_error_reason(data: &Bytes) -> Result<Bytes, u32> {
    let Some(&len) = data.first() else {
        return Err(code::ZMTP_MALFORMED_COMMAND_ERROR);
    };
    let len = usize::from(len);
    if data.len() - 1 < len {
        return Err(code::ZMTP_MALFORMED_COMMAND_ERROR);
    }
    Ok(data.slice(1..1 + len))
}

impl Command {
    /// Parses a command frame's body.
    pub fn parse(body: &Bytes) -> Result<Command, u32> {
        let (name, data) = split_name(body)?;
        Ok(match &name[..] {
            b"READY" => Command::Ready { metadata: data },
            b"ERROR" => Command::Error {
                reason: parse_error_reason(&data)?,
            },
            b"HELLO" => Command::Hello { data },
            b"WELCOME" => Command::Welcome { data },
            b"INITIATE" => Command::Initiate { data },
            b"PING" => {
                if data.len() < 2 {
                    return Err(code::ZMTP_MALFORMED_COMMAND_UNSPECIFIED);
                }
                Command::Ping {
                    ttl: u16::from_be_bytes([data[0], data[1]]),
                    context: data.slice(2..),
                }
            }
            b"PONG" => Command::Pong { context: data },
            b"SUBSCRIBE" => Command::Subscribe { topic: data },
            b"CANCEL" => Command::Cancel { topic: data },
            _ => Command::Unknown { name, data },
        })
    }

    /// The command's name.
    pub fn name(&self) -> &[u8] {
        match self {
            Command::Ready { .. } => b"READY",
            Command::Error { .. } => b"ERROR",
            Command::Hello { .. } => b"HELLO",
            Command::Welcome { .. } => b"WELCOME",
            Command::Initiate { .. } => b"INITIATE",
            Command::Ping { .. } => b"PING",
            Command::Pong { .. } => b"PONG",
            Command::Subscribe { .. } => b"SUBSCRIBE",
            Command::Cancel { .. } => b"CANCEL",
            Command::Unknown { name, .. } => name,
        }
    }

    /// Encodes the command as one frame. ERROR reasons are cut at 255
    /// octets and PONG contexts at 16; names longer than 255 are cut.
    pub fn encode(&self, version: Version, out: &mut BytesMut) {
        match self {
            Command::Ready { metadata: d }
            | Command::Hello { data: d }
            | Command::Welcome { data: d }
            | Command::Initiate { data: d }
            | Command::Subscribe { topic: d }
            | Command::Cancel { topic: d } => encode_command(version, self.name(), d, out),
            Command::Error { reason } => encode_error(version, reason, out),
            Command::Ping { ttl, context } => encode_ping(version, *ttl, context, out),
            Command::Pong { context } => encode_pong(version, context, out),
            Command::Unknown { name, data } => encode_command(version, name, data, out),
        }
    }
}

/// ERROR with `reason` (cut at 255 octets).
pub fn encode_error(version: Version, reason: &[u8], out: &mut BytesMut) {
    let reason = &reason[..reason.len().min(255)];
    encode_command_header(version, b"ERROR", 1 + reason.len(), out);
    out.put_u8(reason.len() as u8);
    out.extend_from_slice(reason);
}

/// PING with a TTL in deciseconds (`ZMQ_HEARTBEAT_TTL` / 100) and a context
/// (cut at 16 octets; libzmq itself always sends an empty one).
pub fn encode_ping(version: Version, ttl_deciseconds: u16, context: &[u8], out: &mut BytesMut) {
    let body = ping_body(ttl_deciseconds, context);
    encode_header(version, false, true, body.len(), out);
    out.extend_from_slice(&body);
}

/// PONG answering a PING with `context`. Like libzmq, a context longer than
/// 16 octets is truncated rather than refused.
pub fn encode_pong(version: Version, ping_context: &[u8], out: &mut BytesMut) {
    let body = pong_body(ping_context);
    encode_header(version, false, true, body.len(), out);
    out.extend_from_slice(&body);
}

/// The body (name size, name, data) of the PING `encode_ping` frames, for
/// a framing that writes its own header.
pub fn ping_body(ttl_deciseconds: u16, context: &[u8]) -> Bytes {
    let context = &context[..context.len().min(PING_MAX_CONTEXT)];
    let mut b = BytesMut::with_capacity(7 + context.len());
    b.put_u8(4);
    b.put_slice(b"PING");
    b.put_u16(ttl_deciseconds);
    b.extend_from_slice(context);
    b.freeze()
}

/// The body of the PONG `encode_pong` frames.
pub fn pong_body(ping_context: &[u8]) -> Bytes {
    let context = &ping_context[..ping_context.len().min(PING_MAX_CONTEXT)];
    let mut b = BytesMut::with_capacity(5 + context.len());
    b.put_u8(4);
    b.put_slice(b"PONG");
    b.extend_from_slice(context);
    b.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zmtp::codec::Decoder;

    fn body(cmd: &Command) -> Bytes {
        let mut out = BytesMut::new();
        cmd.encode(Version::V3_1, &mut out);
        let f = Decoder::new(Version::V3_1, -1)
            .decode(&mut out)
            .unwrap()
            .unwrap();
        assert!(f.command);
        f.body
    }

    #[test]
    fn every_command_roundtrips() {
        let cmds = [
            Command::Ready {
                metadata: Bytes::from_static(b"\x01A\0\0\0\x01b"),
            },
            Command::Error {
                reason: Bytes::from_static(b"400"),
            },
            Command::Hello {
                data: Bytes::from_static(b"\x01u\x01p"),
            },
            Command::Welcome { data: Bytes::new() },
            Command::Initiate { data: Bytes::new() },
            Command::Ping {
                ttl: 300,
                context: Bytes::from_static(b"ctx"),
            },
            Command::Pong {
                context: Bytes::from_static(b"ctx"),
            },
            Command::Subscribe {
                topic: Bytes::from_static(b"topic"),
            },
            Command::Cancel {
                topic: Bytes::new(),
            },
            Command::Unknown {
                name: Bytes::from_static(b"JOIN"),
                data: Bytes::from_static(b"g"),
            },
        ];
        for c in cmds {
            assert_eq!(Command::parse(&body(&c)).unwrap(), c);
        }
    }

    #[test]
    fn ping_wire_format() {
        let mut out = BytesMut::new();
        encode_ping(Version::V3_1, 0x0102, b"", &mut out);
        assert_eq!(&out[..], b"\x04\x07\x04PING\x01\x02");
    }

    #[test]
    fn ping_without_ttl_is_malformed() {
        let r = Command::parse(&Bytes::from_static(b"\x04PING\x00"));
        assert_eq!(r, Err(code::ZMTP_MALFORMED_COMMAND_UNSPECIFIED));
    }

    #[test]
    fn ping_context_longer_than_16_is_accepted_and_truncated_in_pong() {
        let long = Bytes::from(vec![9u8; 40]);
        let mut b = BytesMut::from(&b"\x04PING\x00\x01"[..]);
        b.extend_from_slice(&long);
        let Command::Ping { ttl, context } = Command::parse(&b.freeze()).unwrap() else {
            panic!("not a PING");
        };
        assert_eq!((ttl, context.len()), (1, 40));
        let mut out = BytesMut::new();
        encode_pong(Version::V3_1, &context, &mut out);
        assert_eq!(out.len(), 2 + 5 + 16);
    }

    #[test]
    fn empty_and_truncated_names_are_malformed() {
        for b in [&b""[..], b"\x00", b"\x05READ", b"\x09SUBSCRIB"] {
            assert_eq!(
                Command::parse(&Bytes::copy_from_slice(b)),
                Err(code::ZMTP_MALFORMED_COMMAND_UNSPECIFIED)
            );
        }
    }

    #[test]
    fn malformed_error_command_has_its_own_code() {
        for b in [&b"\x05ERROR"[..], b"\x05ERROR\x05abc"] {
            assert_eq!(
                Command::parse(&Bytes::copy_from_slice(b)),
                Err(code::ZMTP_MALFORMED_COMMAND_ERROR)
            );
        }
        // Trailing bytes after the reason are tolerated (libzmq).
        let ok = Command::parse(&Bytes::from_static(b"\x05ERROR\x01xyz")).unwrap();
        assert_eq!(
            ok,
            Command::Error {
                reason: Bytes::from_static(b"x")
            }
        );
    }

    #[test]
    fn names_are_case_sensitive() {
        let c = Command::parse(&Bytes::from_static(b"\x05ready")).unwrap();
        assert!(matches!(c, Command::Unknown { .. }));
    }

    #[test]
    fn unknown_command_keeps_name_and_data() {
        let c = Command::parse(&Bytes::from_static(b"\x04JOINgrp")).unwrap();
        assert_eq!(
            c,
            Command::Unknown {
                name: Bytes::from_static(b"JOIN"),
                data: Bytes::from_static(b"grp")
            }
        );
    }

    #[test]
    fn error_reason_is_cut_at_255() {
        let mut out = BytesMut::new();
        encode_error(Version::V3_1, &[b'x'; 300], &mut out);
        let f = Decoder::new(Version::V3_1, -1)
            .decode(&mut out)
            .unwrap()
            .unwrap();
        let Command::Error { reason } = Command::parse(&f.body).unwrap() else {
            panic!()
        };
        assert_eq!(reason.len(), 255);
    }

    #[test]
    fn random_bodies_never_panic() {
        let mut rng = crate::zmtp::testutil::XorShift::new(99);
        let names: [&[u8]; 6] = [
            b"\x05READY",
            b"\x05ERROR",
            b"\x04PING",
            b"\x04PONG",
            b"\x09SUBSCRIBE",
            b"",
        ];
        for _ in 0..3000 {
            let mut b = names[rng.below(names.len())].to_vec();
            let n = rng.below(24);
            b.extend(rng.bytes(n));
            let _ = Command::parse(&Bytes::from(b));
        }
    }
}
