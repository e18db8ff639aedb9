//! The NULL mechanism (RFC 23 §The NULL Security Mechanism): each side
//! sends READY with its metadata and waits for the other's; ERROR ends it.
//!
//! As in libzmq 4.3.5 (`null_mechanism_t`): when `ZMQ_ZAP_DOMAIN` is set,
//! ZAP is asked before our READY goes out; no handler means "allowed"
//! unless `ZMQ_ZAP_ENFORCE_DOMAIN`. A malformed or incompatible READY is
//! not reported by a monitor event, only by the disconnect.

use bytes::Bytes;

use super::{Mechanism, Shared};
use crate::zmtp::command::{parse_error_reason, split_name};
use crate::zmtp::error::{code, HandshakeError};
use crate::zmtp::zap::ZapReply;

#[derive(Debug, Default)]
pub(crate) struct NullMechanism {
    ready_sent: bool,
    ready_received: bool,
    zap_pending: bool,
}

impl Mechanism for NullMechanism {
    fn start(&mut self, s: &mut Shared) -> Result<(), HandshakeError> {
        if s.zap_domain.is_empty() {
            s.send_basic_properties(b"READY");
            self.ready_sent = true;
        } else {
            s.request_zap(b"NULL", Vec::new());
            self.zap_pending = true;
        }
        Ok(())
    }

    fn process_command(&mut self, body: Bytes, s: &mut Shared) -> Result<(), HandshakeError> {
        let unexpected = HandshakeError::Protocol(code::ZMTP_UNEXPECTED_COMMAND);
        if self.ready_received {
            return Err(unexpected);
        }
        // libzmq matches the "\5READY" / "\5ERROR" prefixes; anything else,
        // including a body too short to hold a name, is unexpected.
        let Ok((name, data)) = split_name(&body) else {
            return Err(unexpected);
        };
        match &name[..] {
            b"READY" => {
                self.ready_received = true;
                s.accept_metadata(&data, false)
            }
            b"ERROR" => {
                let reason = parse_error_reason(&data).map_err(HandshakeError::Protocol)?;
                Err(HandshakeError::PeerError { reason })
            }
            _ => Err(unexpected),
        }
    }

    fn zap_reply(&mut self, reply: ZapReply, s: &mut Shared) -> Result<(), HandshakeError> {
        if !self.zap_pending {
            return Err(HandshakeError::InvalidState);
        }
        self.zap_pending = false;
        match reply {
            ZapReply::NoHandler if s.zap_enforce_domain => {
                return Err(HandshakeError::NoZapHandler)
            }
            ZapReply::NoHandler => {}
            ZapReply::Frames(frames) => s.judge_zap(&frames)?,
        }
        s.send_basic_properties(b"READY");
        self.ready_sent = true;
        Ok(())
    }

    fn is_ready(&self) -> bool {
        self.ready_sent && self.ready_received
    }

    fn awaits_command(&self) -> bool {
        !self.ready_received
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zmtp::mechanism::tests::{sent, shared};
    use crate::zmtp::metadata::encode_property;
    use crate::zmtp::socket_type::{ZMQ_DEALER, ZMQ_PUSH, ZMQ_ROUTER};
    use bytes::BytesMut;

    fn ready(socket_type: &[u8]) -> Bytes {
        let mut b = BytesMut::from(&b"\x05READY"[..]);
        encode_property(b"Socket-Type", socket_type, &mut b);
        b.freeze()
    }

    #[test]
    fn sends_ready_at_start_without_zap_domain() {
        let mut s = shared(ZMQ_DEALER);
        let mut m = NullMechanism::default();
        m.start(&mut s).unwrap();
        assert!(s.zap_request.is_none());
        assert!(sent(&mut s)[0].starts_with(b"\x05READY"));
        assert!(!m.is_ready());
        m.process_command(ready(b"ROUTER"), &mut s).unwrap();
        assert!(m.is_ready() && !m.awaits_command());
    }

    #[test]
    fn incompatible_peer_is_refused_silently() {
        let mut s = shared(ZMQ_DEALER);
        let mut m = NullMechanism::default();
        m.start(&mut s).unwrap();
        let e = m.process_command(ready(b"PUB"), &mut s).unwrap_err();
        assert_eq!(
            e,
            HandshakeError::IncompatibleSocketType {
                peer: Bytes::from_static(b"PUB"),
                reported: false
            }
        );
        assert_eq!(e.event(), None);
    }

    #[test]
    fn malformed_ready_metadata_is_refused() {
        let mut s = shared(ZMQ_DEALER);
        let mut m = NullMechanism::default();
        m.start(&mut s).unwrap();
        let e = m.process_command(
            Bytes::from_static(b"\x05READY\x0bSocket-Type\x00\x00"),
            &mut s,
        );
        assert_eq!(e, Err(HandshakeError::InvalidMetadata { reported: false }));
    }

    #[test]
    fn other_commands_are_unexpected() {
        for body in [&b"\x05HELLO"[..], b"\x04PING\x00\x00", b"", b"\x09READY"] {
            let mut s = shared(ZMQ_DEALER);
            let mut m = NullMechanism::default();
            m.start(&mut s).unwrap();
            let e = m.process_command(Bytes::copy_from_slice(body), &mut s);
            assert_eq!(
                e,
                Err(HandshakeError::Protocol(code::ZMTP_UNEXPECTED_COMMAND)),
                "{body:?}"
            );
        }
    }

    #[test]
    fn error_command_ends_handshake() {
        let mut s = shared(ZMQ_DEALER);
        let mut m = NullMechanism::default();
        m.start(&mut s).unwrap();
        let e = m
            .process_command(Bytes::from_static(b"\x05ERROR\x03500"), &mut s)
            .unwrap_err();
        assert_eq!(
            e,
            HandshakeError::PeerError {
                reason: Bytes::from_static(b"500")
            }
        );
        let e = m.process_command(Bytes::from_static(b"\x05ERROR\x09x"), &mut s);
        assert_eq!(
            e,
            Err(HandshakeError::Protocol(code::ZMTP_MALFORMED_COMMAND_ERROR))
        );
    }

    #[test]
    fn zap_domain_defers_ready_until_reply() {
        let mut s = shared(ZMQ_ROUTER);
        s.zap_domain = Bytes::from_static(b"global");
        let mut m = NullMechanism::default();
        m.start(&mut s).unwrap();
        let req = s.zap_request.take().unwrap();
        assert_eq!(req.mechanism, b"NULL");
        assert!(req.credentials.is_empty());
        assert!(s.out.is_empty());
        m.process_command(ready(b"DEALER"), &mut s).unwrap();
        assert!(!m.is_ready());
        let ok = ZapReply::from_status(b"200", Bytes::from_static(b"u"), Bytes::new());
        m.zap_reply(ok, &mut s).unwrap();
        assert!(m.is_ready());
        assert_eq!(&s.zap.as_ref().unwrap().user_id[..], b"u");
        assert!(sent(&mut s)[0].starts_with(b"\x05READY"));
    }

    #[test]
    fn missing_zap_handler_is_allowed_unless_enforced() {
        let mut s = shared(ZMQ_PUSH);
        s.zap_domain = Bytes::from_static(b"d");
        let mut m = NullMechanism::default();
        m.start(&mut s).unwrap();
        m.zap_reply(ZapReply::NoHandler, &mut s).unwrap();
        assert!(s.zap.is_none());

        let mut s = shared(ZMQ_PUSH);
        s.zap_domain = Bytes::from_static(b"d");
        s.zap_enforce_domain = true;
        let mut m = NullMechanism::default();
        m.start(&mut s).unwrap();
        assert_eq!(
            m.zap_reply(ZapReply::NoHandler, &mut s),
            Err(HandshakeError::NoZapHandler)
        );
    }

    #[test]
    fn unrequested_zap_reply_is_a_state_error() {
        let mut s = shared(ZMQ_PUSH);
        let mut m = NullMechanism::default();
        m.start(&mut s).unwrap();
        assert_eq!(
            m.zap_reply(ZapReply::NoHandler, &mut s),
            Err(HandshakeError::InvalidState)
        );
    }
}
