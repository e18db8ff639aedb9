//! How a subscription travels, as libzmq 4.3.5 does it.
//!
//! Outbound (SUB/XSUB `ZMQ_SUBSCRIBE`/`ZMQ_UNSUBSCRIBE`): to a ZMTP 3.1
//! peer, a SUBSCRIBE or CANCEL command (RFC 37 §The Publish-Subscribe
//! Pattern; libzmq's `v3_1_encoder_t`); to 3.0, 2.0 and 1.0 peers, a
//! one-frame message whose first octet is 1 (subscribe) or 0 (cancel)
//! followed by the topic (libzmq's v1/v2 encoders). Messages an XSUB user
//! sends verbatim ("\x01topic") go out as ordinary messages to everyone.
//!
//! Inbound (PUB/XPUB): both forms are accepted from any version. The socket
//! layer uses the message form, so `Subscription::to_message` turns a
//! command into it (one small copy: subscriptions are not the hot path).

use bytes::{BufMut, Bytes, BytesMut};

use super::codec::{encode_command, encode_header, Frame, Version};
use super::command::{split_name, Command};

/// One subscription change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subscription {
    Subscribe(Bytes),
    Cancel(Bytes),
}

impl Subscription {
    pub fn is_subscribe(&self) -> bool {
        matches!(self, Subscription::Subscribe(_))
    }

    pub fn topic(&self) -> &Bytes {
        match self {
            Subscription::Subscribe(t) | Subscription::Cancel(t) => t,
        }
    }

    /// A SUBSCRIBE or CANCEL command frame.
    pub fn from_command(frame: &Frame) -> Option<Subscription> {
        if !frame.command {
            return None;
        }
        let (name, _) = split_name(&frame.body).ok()?;
        if &name[..] != b"SUBSCRIBE" && &name[..] != b"CANCEL" {
            return None;
        }
        match Command::parse(&frame.body).ok()? {
            Command::Subscribe { topic } => Some(Subscription::Subscribe(topic)),
            Command::Cancel { topic } => Some(Subscription::Cancel(topic)),
            _ => None,
        }
    }

    /// A message body in the legacy form: first octet 1 or 0, then the
    /// topic. Other bodies (empty, other first octet) are not
    /// subscriptions; XPUB passes them up as user messages.
    pub fn from_message(body: &Bytes) -> Option<Subscription> {
        let (subscribe, _) = Subscription::parse_message(body)?;
        let topic = body.slice(1..);
        Some(if subscribe {
            Subscription::Subscribe(topic)
        } else {
            Subscription::Cancel(topic)
        })
    }

    /// `from_message` without taking the body: (subscribe, topic). The one
    /// place the "first octet 1 or 0" rule lives (the write pumps and the
    /// direct writer use it on a subscriber's command messages).
    pub fn parse_message(body: &[u8]) -> Option<(bool, &[u8])> {
        match body.split_first()? {
            (&b @ (0 | 1), topic) => Some((b == 1, topic)),
            _ => None,
        }
    }

    /// The message form the socket layer consumes.
    pub fn to_message(&self) -> Bytes {
        let t = self.topic();
        let mut b = BytesMut::with_capacity(1 + t.len());
        b.put_u8(u8::from(self.is_subscribe()));
        b.extend_from_slice(t);
        b.freeze()
    }
}

/// Writes a subscription for a peer speaking `version`: a command for
/// 3.1, a 0x01/0x00-prefixed message otherwise.
pub fn encode_subscription(version: Version, subscribe: bool, topic: &[u8], out: &mut BytesMut) {
    if version == Version::V3_1 {
        let name: &[u8] = if subscribe { b"SUBSCRIBE" } else { b"CANCEL" };
        encode_command(version, name, topic, out);
    } else {
        out.reserve(11 + topic.len());
        encode_header(version, false, false, 1 + topic.len(), out);
        out.put_u8(u8::from(subscribe));
        out.extend_from_slice(topic);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zmtp::codec::Decoder;

    #[test]
    fn only_a_first_octet_of_1_or_0_makes_a_message_a_subscription() {
        assert_eq!(
            Subscription::parse_message(b"\x01ab"),
            Some((true, &b"ab"[..]))
        );
        assert_eq!(
            Subscription::parse_message(b"\x00"),
            Some((false, &b""[..]))
        );
        assert_eq!(Subscription::parse_message(b"\x02ab"), None);
        assert_eq!(Subscription::parse_message(b""), None);
        let body = Bytes::from_static(b"\x00x");
        assert_eq!(
            Subscription::from_message(&body),
            Some(Subscription::Cancel(Bytes::from_static(b"x")))
        );
    }

    fn one(version: Version, subscribe: bool, topic: &[u8]) -> (BytesMut, Frame) {
        let mut out = BytesMut::new();
        encode_subscription(version, subscribe, topic, &mut out);
        let wire = out.clone();
        let f = Decoder::new(version, -1).decode(&mut out).unwrap().unwrap();
        assert!(out.is_empty());
        (wire, f)
    }

    #[test]
    fn zmtp_3_1_gets_commands() {
        let (wire, f) = one(Version::V3_1, true, b"ab");
        assert_eq!(&wire[..], b"\x04\x0c\x09SUBSCRIBEab");
        assert_eq!(
            Subscription::from_command(&f),
            Some(Subscription::Subscribe(Bytes::from_static(b"ab")))
        );
        let (wire, _) = one(Version::V3_1, false, b"");
        assert_eq!(&wire[..], b"\x04\x07\x06CANCEL");
    }

    #[test]
    fn older_peers_get_prefixed_messages() {
        let (wire, f) = one(Version::V3_0, true, b"ab");
        assert_eq!(&wire[..], b"\x00\x03\x01ab");
        assert!(!f.command);
        assert_eq!(
            Subscription::from_message(&f.body),
            Some(Subscription::Subscribe(Bytes::from_static(b"ab")))
        );
        let (wire, _) = one(Version::V2, false, b"x");
        assert_eq!(&wire[..], b"\x00\x02\x00x");
        let (wire, _) = one(Version::V1, true, b"x");
        assert_eq!(&wire[..], b"\x03\x00\x01x");
    }

    #[test]
    fn long_subscription_uses_long_frame_correctly() {
        // libzmq's v2 encoder mis-sets LONG for a 255-byte topic; we do not.
        let topic = [b'x'; 255];
        let (wire, f) = one(Version::V3_0, true, &topic);
        assert_eq!(wire[0], 0x02);
        assert_eq!(f.body.len(), 256);
    }

    #[test]
    fn command_converts_to_message_form() {
        let s = Subscription::Cancel(Bytes::from_static(b"t"));
        assert_eq!(&s.to_message()[..], b"\x00t");
        assert_eq!(Subscription::from_message(&s.to_message()), Some(s));
    }

    #[test]
    fn other_bodies_are_not_subscriptions() {
        assert_eq!(Subscription::from_message(&Bytes::new()), None);
        assert_eq!(
            Subscription::from_message(&Bytes::from_static(b"\x02x")),
            None
        );
        let f = Frame {
            more: false,
            command: true,
            body: Bytes::from_static(b"\x04PONG"),
        };
        assert_eq!(Subscription::from_command(&f), None);
        let f = Frame {
            more: false,
            command: false,
            body: Bytes::from_static(b"\x09SUBSCRIBE"),
        };
        assert_eq!(Subscription::from_command(&f), None);
    }
}
