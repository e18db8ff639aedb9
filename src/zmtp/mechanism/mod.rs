//! Security mechanisms: the command exchange between the greeting and
//! traffic (RFC 23 §Authentication and Confidentiality).
//!
//! Each mechanism is a small state machine behind the `Mechanism` trait:
//! it is started once the greeting is done, fed the peer's command frames,
//! and answered ZAP replies; it queues its own commands into the shared
//! output. NULL (`null.rs`), PLAIN (`plain.rs`) and CURVE (`curve/`) live
//! here. CURVE also hands the connection a frame cipher: after its
//! handshake every traffic frame travels sealed in a MESSAGE command, so
//! the I/O layer passes frames through it before classifying them.
//!
//! Mechanisms never see an fd or a clock.

use bytes::{BufMut, Bytes, BytesMut};

use super::codec::{encode_command_header, Version};
use super::error::HandshakeError;
use super::metadata::{self, property_len, Property};
use super::socket_type::{compatible, sends_identity, socket_type_name};
use super::zap::{parse_reply, ZapOutcome, ZapReply, ZapRequest};

pub mod curve;
pub mod null;
pub mod plain;

/// Which mechanism a socket uses, with its credentials.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum MechanismConfig {
    /// No security (the default).
    #[default]
    Null,
    /// RFC 24: clear-text username and password. The server needs a ZAP
    /// handler to judge them.
    Plain {
        server: bool,
        /// At most 255 bytes (`ZMQ_PLAIN_USERNAME`).
        username: Bytes,
        /// At most 255 bytes (`ZMQ_PLAIN_PASSWORD`).
        password: Bytes,
    },
    /// RFC 26 (CurveZMQ RFC 25): long-term keys, 32 binary bytes each.
    /// A server needs only its secret key; a client needs its own pair
    /// and the server's public key.
    Curve {
        server: bool,
        public_key: [u8; 32],
        secret_key: [u8; 32],
        server_key: [u8; 32],
    },
}

impl MechanismConfig {
    /// The name in the greeting's mechanism field.
    pub fn name(&self) -> &'static [u8] {
        match self {
            MechanismConfig::Null => b"NULL",
            MechanismConfig::Plain { .. } => b"PLAIN",
            MechanismConfig::Curve { .. } => b"CURVE",
        }
    }

    pub(crate) fn build(&self) -> Box<dyn Mechanism> {
        match self {
            MechanismConfig::Null => Box::new(null::NullMechanism::default()),
            MechanismConfig::Plain { server: true, .. } => Box::new(plain::PlainServer::default()),
            MechanismConfig::Plain {
                server: false,
                username,
                password,
            } => Box::new(plain::PlainClient::new(username.clone(), password.clone())),
            MechanismConfig::Curve {
                server: true,
                secret_key,
                ..
            } => Box::new(curve::CurveServer::new(*secret_key)),
            MechanismConfig::Curve {
                server: false,
                public_key,
                secret_key,
                server_key,
            } => Box::new(curve::CurveClient::new(
                *public_key,
                *secret_key,
                *server_key,
            )),
        }
    }
}

/// A mechanism's state machine.
pub(crate) trait Mechanism: Send {
    /// The greeting is done: queue the first commands (or ask for ZAP).
    fn start(&mut self, s: &mut Shared) -> Result<(), HandshakeError>;
    /// One command frame's body from the peer.
    fn process_command(&mut self, body: Bytes, s: &mut Shared) -> Result<(), HandshakeError>;
    /// The answer to the `ZapRequest` this mechanism raised.
    fn zap_reply(&mut self, reply: ZapReply, s: &mut Shared) -> Result<(), HandshakeError>;
    /// Handshake complete: traffic may flow.
    fn is_ready(&self) -> bool;
    /// Whether another handshake command from the peer is expected. Once
    /// false, bytes that follow belong to traffic and are left unread.
    fn awaits_command(&self) -> bool;
    /// Once ready: the cipher every traffic frame must pass through
    /// (CURVE), or None when traffic travels in clear.
    fn take_cipher(&mut self) -> Option<curve::CurveCipher> {
        None
    }
}

/// State every mechanism reads and writes: our identity, the output, and
/// what we learnt about the peer.
pub(crate) struct Shared {
    pub version: Version,
    pub socket_type: i32,
    pub routing_id: Bytes,
    /// Application metadata, sorted by name like libzmq's `std::map`.
    pub app_metadata: Vec<Property>,
    pub zap_domain: Bytes,
    pub zap_enforce_domain: bool,
    /// Bytes to write: ZMTP frames (and the greeting before them).
    pub out: BytesMut,
    /// Some when a lower layer frames our commands itself (ZWS 2.0): each
    /// command is then queued here as its body (name size, name, data),
    /// never as ZMTP bytes in `out`.
    pub commands: Option<Vec<Bytes>>,
    /// The peer's READY/INITIATE properties, in wire order.
    pub peer_props: Vec<Property>,
    /// The accepted ZAP reply, if ZAP ran.
    pub zap: Option<ZapOutcome>,
    /// A ZAP request raised and not yet handed to the caller.
    pub zap_request: Option<ZapRequest>,
}

impl Shared {
    /// Starts a command of `name` with `data_len` bytes of data to
    /// follow in `out`: its ZMTP header and name, or only the name when
    /// commands are kept as bodies. `end_command` closes it.
    fn begin_command(&mut self, name: &[u8], data_len: usize) {
        match self.commands {
            None => encode_command_header(self.version, name, data_len, &mut self.out),
            Some(_) => {
                self.out.reserve(1 + name.len() + data_len);
                self.out.put_u8(name.len() as u8);
                self.out.put_slice(name);
            }
        }
    }

    fn end_command(&mut self) {
        if let Some(c) = &mut self.commands {
            c.push(self.out.split().freeze());
        }
    }

    /// Queues a command.
    pub fn send_command(&mut self, name: &[u8], data: &[u8]) {
        self.begin_command(name, data.len());
        self.out.extend_from_slice(data);
        self.end_command();
    }

    /// Queues ERROR with `reason` (cut at 255 octets).
    pub fn send_error(&mut self, reason: &[u8]) {
        let reason = &reason[..reason.len().min(255)];
        self.begin_command(b"ERROR", 1 + reason.len());
        self.out.put_u8(reason.len() as u8);
        self.out.extend_from_slice(reason);
        self.end_command();
    }

    /// Queues `name` (READY or INITIATE) carrying our basic properties:
    /// Socket-Type, Identity for REQ/DEALER/ROUTER, then the application
    /// metadata (libzmq `add_basic_properties`). Written straight into the
    /// output, no temporary buffer.
    pub fn send_basic_properties(&mut self, name: &[u8]) {
        let len = self.basic_properties_len();
        self.out.reserve(16 + len);
        self.begin_command(name, len);
        let mut out = std::mem::take(&mut self.out);
        self.write_basic_properties(&mut out);
        self.out = out;
        self.end_command();
    }

    /// The encoded length of our basic properties.
    pub fn basic_properties_len(&self) -> usize {
        let socket_type = socket_type_name(self.socket_type).as_bytes();
        let mut len = property_len(b"Socket-Type", socket_type.len());
        if sends_identity(self.socket_type) {
            len += property_len(b"Identity", self.routing_id.len());
        }
        for (n, v) in &self.app_metadata {
            len += property_len(n.as_bytes(), v.len());
        }
        len
    }

    /// Appends our basic properties (no command header) to `out`: what
    /// CURVE seals inside INITIATE and READY.
    pub fn write_basic_properties(&self, out: &mut BytesMut) {
        let socket_type = socket_type_name(self.socket_type).as_bytes();
        metadata::encode_property(b"Socket-Type", socket_type, out);
        if sends_identity(self.socket_type) {
            metadata::encode_property(b"Identity", &self.routing_id, out);
        }
        for (n, v) in &self.app_metadata {
            metadata::encode_property(n.as_bytes(), v, out);
        }
    }

    /// Parses and records the peer's property list, checking Socket-Type.
    /// `reported` says whether libzmq emits an event for a failure here.
    pub fn accept_metadata(&mut self, data: &Bytes, reported: bool) -> Result<(), HandshakeError> {
        let props =
            metadata::parse(data).map_err(|_| HandshakeError::InvalidMetadata { reported })?;
        for (name, value) in &props {
            if name == "Socket-Type" && !compatible(self.socket_type, value) {
                return Err(HandshakeError::IncompatibleSocketType {
                    peer: value.clone(),
                    reported,
                });
            }
        }
        self.peer_props.extend(props);
        Ok(())
    }

    /// Raises a ZAP request; `Handshake` hands it to the caller.
    pub fn request_zap(&mut self, mechanism: &'static [u8], credentials: Vec<Bytes>) {
        self.zap_request = Some(ZapRequest {
            domain: self.zap_domain.clone(),
            routing_id: self.routing_id.clone(),
            mechanism,
            credentials,
        });
    }

    /// Checks a ZAP reply and applies its status: 200 passes; 300 fails
    /// silently (RFC 26: a temporary failure sends no ERROR); 400 and 500
    /// queue ERROR with the status code as reason, then fail.
    pub fn judge_zap(&mut self, frames: &[Bytes]) -> Result<(), HandshakeError> {
        let outcome = parse_reply(frames, self.socket_type)?;
        let status = outcome.status;
        tracing::debug!(target: "monocoque::zap", status, status_text = %String::from_utf8_lossy(&frames[4]), user_id = %String::from_utf8_lossy(&outcome.user_id), "ZAP reply: {}", crate::log::zap_status_meaning(status));
        self.zap = Some(outcome);
        match status {
            200 => Ok(()),
            300 => Err(HandshakeError::Auth { status }),
            _ => {
                let mut reason = BytesMut::with_capacity(3);
                reason.put_slice(status.to_string().as_bytes());
                self.send_error(&reason);
                Err(HandshakeError::Auth { status })
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::zmtp::codec::Decoder;
    use crate::zmtp::socket_type::{ZMQ_DEALER, ZMQ_PUB};

    pub(crate) fn shared(socket_type: i32) -> Shared {
        Shared {
            version: Version::V3_1,
            socket_type,
            routing_id: Bytes::new(),
            app_metadata: Vec::new(),
            zap_domain: Bytes::new(),
            zap_enforce_domain: false,
            out: BytesMut::new(),
            commands: None,
            peer_props: Vec::new(),
            zap: None,
            zap_request: None,
        }
    }

    /// Takes the command bodies queued so far.
    pub(crate) fn sent(s: &mut Shared) -> Vec<Bytes> {
        let mut d = Decoder::new(s.version, -1);
        let mut v = Vec::new();
        while let Some(f) = d.decode(&mut s.out).unwrap() {
            assert!(f.command);
            v.push(f.body);
        }
        assert!(s.out.is_empty());
        v
    }

    #[test]
    fn dealer_ready_matches_rfc_worked_example() {
        let mut s = shared(ZMQ_DEALER);
        s.send_basic_properties(b"READY");
        let want =
            b"\x04\x29\x05READY\x0bSocket-Type\x00\x00\x00\x06DEALER\x08Identity\x00\x00\x00\x00";
        assert_eq!(&s.out[..], &want[..]);
    }

    #[test]
    fn pub_ready_has_no_identity_and_appends_app_metadata() {
        let mut s = shared(ZMQ_PUB);
        s.routing_id = Bytes::from_static(b"id");
        s.app_metadata = vec![("X-A".into(), Bytes::from_static(b"1"))];
        s.send_basic_properties(b"READY");
        let body = sent(&mut s).remove(0);
        let props = metadata::parse(&body.slice(6..)).unwrap();
        let names: Vec<&str> = props.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Socket-Type", "X-A"]);
    }

    #[test]
    fn zap_400_queues_error_with_status() {
        let mut s = shared(ZMQ_DEALER);
        let ZapReply::Frames(f) = ZapReply::from_status(b"400", Bytes::new(), Bytes::new()) else {
            unreachable!()
        };
        assert_eq!(s.judge_zap(&f), Err(HandshakeError::Auth { status: 400 }));
        assert_eq!(&sent(&mut s)[0][..], b"\x05ERROR\x03400");
    }

    #[test]
    fn zap_300_fails_without_error_command() {
        let mut s = shared(ZMQ_DEALER);
        let ZapReply::Frames(f) = ZapReply::from_status(b"300", Bytes::new(), Bytes::new()) else {
            unreachable!()
        };
        assert_eq!(s.judge_zap(&f), Err(HandshakeError::Auth { status: 300 }));
        assert!(s.out.is_empty());
    }
}
