//! ZAP (RFC 27) request and reply, as libzmq 4.3.5's `zap_client_t` builds
//! and checks them. The engine only describes the request and judges the
//! reply; the socket layer carries them over `inproc://zeromq.zap.01`.
//!
//! Request frames: empty delimiter, "1.0", request id "1", domain, peer
//! address, routing id, mechanism, then the credentials (PLAIN: username,
//! password; CURVE: the client's long-term public key; NULL: none). libzmq puts *our own* routing id in the identity
//! frame (the peer's is not known yet when ZAP runs), and so do we.
//!
//! Reply frames: empty delimiter, "1.0", "1", status code, status text,
//! user id, metadata: exactly seven.

use bytes::Bytes;

use super::error::{code, HandshakeError};
use super::metadata::{self, Property};
use super::socket_type::compatible;

/// ZAP version string.
pub const ZAP_VERSION: &[u8] = b"1.0";
/// The request id libzmq always uses.
pub const ZAP_REQUEST_ID: &[u8] = b"1";

/// A request the socket layer must send to the ZAP handler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZapRequest {
    /// `ZMQ_ZAP_DOMAIN`.
    pub domain: Bytes,
    /// Our socket's routing id (what libzmq sends).
    pub routing_id: Bytes,
    /// "NULL", "PLAIN" or "CURVE".
    pub mechanism: &'static [u8],
    /// Mechanism credentials: PLAIN username and password; CURVE the
    /// client's 32-byte long-term public key; none for NULL.
    pub credentials: Vec<Bytes>,
}

impl ZapRequest {
    /// The request as frames; every frame but the last carries MORE.
    /// `peer_address` is the peer's IP address (libzmq: no port) or "".
    pub fn frames(&self, peer_address: &[u8]) -> Vec<Bytes> {
        let mut f = Vec::with_capacity(7 + self.credentials.len());
        f.push(Bytes::new());
        f.push(Bytes::from_static(ZAP_VERSION));
        f.push(Bytes::from_static(ZAP_REQUEST_ID));
        f.push(self.domain.clone());
        f.push(Bytes::copy_from_slice(peer_address));
        f.push(self.routing_id.clone());
        f.push(Bytes::from_static(self.mechanism));
        f.extend(self.credentials.iter().cloned());
        f
    }
}

/// The socket layer's answer to a `ZapRequest`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZapReply {
    /// No handler is bound to `inproc://zeromq.zap.01`.
    NoHandler,
    /// The handler's reply message, every frame in order.
    Frames(Vec<Bytes>),
}

impl ZapReply {
    /// A well-formed reply, for handlers living in the same process.
    pub fn from_status(status: &[u8], user_id: Bytes, metadata: Bytes) -> ZapReply {
        ZapReply::Frames(vec![
            Bytes::new(),
            Bytes::from_static(ZAP_VERSION),
            Bytes::from_static(ZAP_REQUEST_ID),
            Bytes::copy_from_slice(status),
            Bytes::new(),
            user_id,
            metadata,
        ])
    }
}

/// A reply that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ZapOutcome {
    /// 200, 300, 400 or 500.
    pub status: u32,
    pub user_id: Bytes,
    pub metadata: Vec<Property>,
}

/// Checks a reply frame by frame, with libzmq's error codes.
/// `socket_type` is ours: libzmq validates a Socket-Type found in the ZAP
/// metadata like one found in READY.
pub(crate) fn parse_reply(
    frames: &[Bytes],
    socket_type: i32,
) -> Result<ZapOutcome, HandshakeError> {
    let err = |c| Err(HandshakeError::Protocol(c));
    if frames.len() != 7 {
        return err(code::ZAP_MALFORMED_REPLY);
    }
    if !frames[0].is_empty() {
        return err(code::ZAP_UNSPECIFIED);
    }
    if frames[1] != ZAP_VERSION {
        return err(code::ZAP_BAD_VERSION);
    }
    if frames[2] != ZAP_REQUEST_ID {
        return err(code::ZAP_BAD_REQUEST_ID);
    }
    let status = match &frames[3][..] {
        [d @ b'2'..=b'5', b'0', b'0'] => u32::from(d - b'0') * 100,
        _ => return err(code::ZAP_INVALID_STATUS_CODE),
    };
    let metadata = metadata::parse(&frames[6])
        .map_err(|_| HandshakeError::Protocol(code::ZAP_INVALID_METADATA))?;
    for (name, value) in &metadata {
        if name == "Socket-Type" && !compatible(socket_type, value) {
            return err(code::ZAP_INVALID_METADATA);
        }
    }
    Ok(ZapOutcome {
        status,
        user_id: frames[5].clone(),
        metadata,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zmtp::socket_type::ZMQ_REP;

    fn reply(f: [&[u8]; 7]) -> Vec<Bytes> {
        f.iter().map(|b| Bytes::copy_from_slice(b)).collect()
    }

    #[test]
    fn request_frames_follow_rfc_27() {
        let r = ZapRequest {
            domain: Bytes::from_static(b"global"),
            routing_id: Bytes::from_static(b"me"),
            mechanism: b"PLAIN",
            credentials: vec![Bytes::from_static(b"admin"), Bytes::from_static(b"secret")],
        };
        let f = r.frames(b"127.0.0.1");
        let want: [&[u8]; 9] = [
            b"",
            b"1.0",
            b"1",
            b"global",
            b"127.0.0.1",
            b"me",
            b"PLAIN",
            b"admin",
            b"secret",
        ];
        assert_eq!(f.len(), want.len());
        for (a, b) in f.iter().zip(want) {
            assert_eq!(&a[..], b);
        }
    }

    #[test]
    fn good_reply_parses() {
        let meta = {
            let mut m = bytes::BytesMut::new();
            metadata::encode_property(b"X-Role", b"admin", &mut m);
            m.freeze()
        };
        let ZapReply::Frames(f) = ZapReply::from_status(b"200", Bytes::from_static(b"alice"), meta)
        else {
            unreachable!()
        };
        let o = parse_reply(&f, ZMQ_REP).unwrap();
        assert_eq!(o.status, 200);
        assert_eq!(&o.user_id[..], b"alice");
        assert_eq!(o.metadata[0].0, "X-Role");
    }

    #[test]
    fn each_bad_frame_has_libzmq_code() {
        let ok: [&[u8]; 7] = [b"", b"1.0", b"1", b"200", b"OK", b"", b""];
        let cases: [(usize, &[u8], u32); 6] = [
            (0, b"x", code::ZAP_UNSPECIFIED),
            (1, b"2.0", code::ZAP_BAD_VERSION),
            (2, b"2", code::ZAP_BAD_REQUEST_ID),
            (3, b"600", code::ZAP_INVALID_STATUS_CODE),
            (3, b"20", code::ZAP_INVALID_STATUS_CODE),
            (6, b"\x00", code::ZAP_INVALID_METADATA),
        ];
        for (i, v, c) in cases {
            let mut f = ok;
            f[i] = v;
            assert_eq!(
                parse_reply(&reply(f), ZMQ_REP),
                Err(HandshakeError::Protocol(c)),
                "frame {i}"
            );
        }
        assert_eq!(
            parse_reply(&reply(ok)[..6], ZMQ_REP),
            Err(HandshakeError::Protocol(code::ZAP_MALFORMED_REPLY))
        );
    }

    #[test]
    fn zap_metadata_sizes_are_checked_against_the_frame() {
        // Property sizes in the handler's metadata frame are compared with
        // the octets present, never allocated: a value claiming 4 GiB, a
        // name claiming 255 octets, a value cut short are all refused.
        let bad: [&[u8]; 3] = [
            b"\x06X-Role\xff\xff\xff\xffadmin",
            b"\xffX-Role",
            b"\x06X-Role\x00\x00\x00\x09admin",
        ];
        for m in bad {
            let f = reply([b"", b"1.0", b"1", b"200", b"OK", b"u", m]);
            assert_eq!(
                parse_reply(&f, ZMQ_REP),
                Err(HandshakeError::Protocol(code::ZAP_INVALID_METADATA)),
                "{m:?}"
            );
        }
        // Large but honest fields pass whole.
        let user = vec![b'u'; 1 << 20];
        let mut m = bytes::BytesMut::new();
        metadata::encode_property(b"X-Big", &vec![b'v'; 1 << 20], &mut m);
        let f = reply([b"", b"1.0", b"1", b"200", b"OK", &user, &m]);
        let o = parse_reply(&f, ZMQ_REP).unwrap();
        assert_eq!((o.user_id.len(), o.metadata[0].1.len()), (1 << 20, 1 << 20));
    }

    #[test]
    fn incompatible_socket_type_in_zap_metadata_is_invalid_metadata() {
        let mut m = bytes::BytesMut::new();
        metadata::encode_property(b"Socket-Type", b"PUB", &mut m);
        let ZapReply::Frames(f) = ZapReply::from_status(b"200", Bytes::new(), m.freeze()) else {
            unreachable!()
        };
        assert_eq!(
            parse_reply(&f, ZMQ_REP),
            Err(HandshakeError::Protocol(code::ZAP_INVALID_METADATA))
        );
    }
}
