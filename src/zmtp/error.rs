//! Errors of the ZMTP engine and the libzmq numbers they map to.
//!
//! Each handshake failure says which monitor event libzmq 4.3.5 emits for
//! it (if any), so the I/O layer reports exactly what the reference does.
//! This module never decides what to do with a connection; it only names
//! what went wrong.

use std::fmt;

use bytes::Bytes;

use super::codec::ProtocolError;

/// `ZMQ_PROTOCOL_ERROR_*` values (libzmq `zmq.h`), carried by
/// `ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL`.
pub mod code {
    pub const ZMTP_UNSPECIFIED: u32 = 0x1000_0000;
    pub const ZMTP_UNEXPECTED_COMMAND: u32 = 0x1000_0001;
    pub const ZMTP_INVALID_SEQUENCE: u32 = 0x1000_0002;
    pub const ZMTP_KEY_EXCHANGE: u32 = 0x1000_0003;
    pub const ZMTP_MALFORMED_COMMAND_UNSPECIFIED: u32 = 0x1000_0011;
    pub const ZMTP_MALFORMED_COMMAND_MESSAGE: u32 = 0x1000_0012;
    pub const ZMTP_MALFORMED_COMMAND_HELLO: u32 = 0x1000_0013;
    pub const ZMTP_MALFORMED_COMMAND_INITIATE: u32 = 0x1000_0014;
    pub const ZMTP_MALFORMED_COMMAND_ERROR: u32 = 0x1000_0015;
    pub const ZMTP_MALFORMED_COMMAND_READY: u32 = 0x1000_0016;
    pub const ZMTP_MALFORMED_COMMAND_WELCOME: u32 = 0x1000_0017;
    pub const ZMTP_INVALID_METADATA: u32 = 0x1000_0018;
    pub const ZMTP_CRYPTOGRAPHIC: u32 = 0x1100_0001;
    pub const ZMTP_MECHANISM_MISMATCH: u32 = 0x1100_0002;
    pub const ZAP_UNSPECIFIED: u32 = 0x2000_0000;
    pub const ZAP_MALFORMED_REPLY: u32 = 0x2000_0001;
    pub const ZAP_BAD_REQUEST_ID: u32 = 0x2000_0002;
    pub const ZAP_BAD_VERSION: u32 = 0x2000_0003;
    pub const ZAP_INVALID_STATUS_CODE: u32 = 0x2000_0004;
    pub const ZAP_INVALID_METADATA: u32 = 0x2000_0005;
    pub const WS_UNSPECIFIED: u32 = 0x3000_0000;
}

/// Linux errno values the engine reports (libzmq uses the libc ones).
pub mod errno {
    pub const EFAULT: i32 = 14;
    pub const EPROTO: i32 = 71;
    pub const EMSGSIZE: i32 = 90;
}

/// `ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL`.
pub const EVENT_HANDSHAKE_FAILED_NO_DETAIL: u16 = 0x0800;
/// `ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL`.
pub const EVENT_HANDSHAKE_FAILED_PROTOCOL: u16 = 0x2000;
/// `ZMQ_EVENT_HANDSHAKE_FAILED_AUTH`.
pub const EVENT_HANDSHAKE_FAILED_AUTH: u16 = 0x4000;

/// The monitor event libzmq emits for a failed handshake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandshakeEvent {
    /// `HANDSHAKE_FAILED_NO_DETAIL`, value = errno.
    NoDetail { errno: i32 },
    /// `HANDSHAKE_FAILED_PROTOCOL`, value = `ZMQ_PROTOCOL_ERROR_*`.
    Protocol { code: u32 },
    /// `HANDSHAKE_FAILED_AUTH`, value = ZAP status (300, 400 or 500).
    Auth { status: u32 },
}

impl HandshakeEvent {
    /// The `ZMQ_EVENT_*` number.
    pub fn event(&self) -> u16 {
        match self {
            HandshakeEvent::NoDetail { .. } => EVENT_HANDSHAKE_FAILED_NO_DETAIL,
            HandshakeEvent::Protocol { .. } => EVENT_HANDSHAKE_FAILED_PROTOCOL,
            HandshakeEvent::Auth { .. } => EVENT_HANDSHAKE_FAILED_AUTH,
        }
    }

    /// The event's value field.
    pub fn value(&self) -> u32 {
        match *self {
            HandshakeEvent::NoDetail { errno } => errno as u32,
            HandshakeEvent::Protocol { code } => code,
            HandshakeEvent::Auth { status } => status,
        }
    }
}

/// Why a handshake failed. The connection must be closed; before closing,
/// the caller should write what is left in `Handshake::output()` (it may
/// hold an ERROR command for the peer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandshakeError {
    /// A protocol violation libzmq reports with this `ZMQ_PROTOCOL_ERROR_*`.
    Protocol(u32),
    /// The peer announced another security mechanism (RFC 23 §Authentication:
    /// "MUST close the connection").
    MechanismMismatch,
    /// The peer's Socket-Type may not talk to ours. libzmq reports it
    /// (as `ZMTP_INVALID_METADATA`) only when a PLAIN client reads READY.
    IncompatibleSocketType { peer: Bytes, reported: bool },
    /// A metadata list (READY/INITIATE) is malformed. Reported only by a
    /// PLAIN client, as in libzmq.
    InvalidMetadata { reported: bool },
    /// The peer sent ERROR. libzmq emits an AUTH event when the reason is a
    /// ZAP status ("300", "400", "500"), nothing otherwise.
    PeerError { reason: Bytes },
    /// Our ZAP handler refused the peer (status 300, 400 or 500).
    Auth { status: u32 },
    /// Authentication needs a ZAP handler and none is bound (PLAIN server,
    /// or NULL with ZAP_ENFORCE_DOMAIN).
    NoZapHandler,
    /// A ZMTP 1.0/2.0 peer while security or ZAP is on (RFC 37 §Detecting:
    /// "MUST immediately close"). libzmq emits no handshake event.
    LegacyPeerRejected,
    /// A frame could not be decoded (oversized, reserved flags, ...). libzmq
    /// emits no handshake event, only the disconnect.
    Frame(ProtocolError),
    /// The API was misused: input after the handshake ended, or a ZAP reply
    /// nobody asked for.
    InvalidState,
}

impl HandshakeError {
    /// The monitor event libzmq 4.3.5 emits for this failure, if any.
    pub fn event(&self) -> Option<HandshakeEvent> {
        match self {
            HandshakeError::Protocol(code) => Some(HandshakeEvent::Protocol { code: *code }),
            HandshakeError::MechanismMismatch => Some(HandshakeEvent::Protocol {
                code: code::ZMTP_MECHANISM_MISMATCH,
            }),
            HandshakeError::IncompatibleSocketType { reported: true, .. }
            | HandshakeError::InvalidMetadata { reported: true } => {
                Some(HandshakeEvent::Protocol {
                    code: code::ZMTP_INVALID_METADATA,
                })
            }
            HandshakeError::IncompatibleSocketType { .. }
            | HandshakeError::InvalidMetadata { .. } => None,
            HandshakeError::PeerError { reason } => {
                zap_status(reason).map(|status| HandshakeEvent::Auth { status })
            }
            HandshakeError::Auth { status } => Some(HandshakeEvent::Auth { status: *status }),
            HandshakeError::NoZapHandler => Some(HandshakeEvent::NoDetail {
                errno: errno::EFAULT,
            }),
            HandshakeError::LegacyPeerRejected
            | HandshakeError::Frame(_)
            | HandshakeError::InvalidState => None,
        }
    }

    /// The errno libzmq leaves behind for this failure.
    pub fn errno(&self) -> i32 {
        match self {
            HandshakeError::Frame(e) => e.errno(),
            HandshakeError::NoZapHandler => errno::EFAULT,
            _ => errno::EPROTO,
        }
    }
}

/// A ZAP status carried as an ERROR reason: exactly "300", "400" or "500".
pub(crate) fn zap_status(reason: &[u8]) -> Option<u32> {
    match reason {
        [d @ b'3'..=b'5', b'0', b'0'] => Some(u32::from(d - b'0') * 100),
        _ => None,
    }
}

impl fmt::Display for HandshakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandshakeError::Protocol(c) => write!(f, "ZMTP protocol error {c:#x}"),
            HandshakeError::MechanismMismatch => f.write_str("security mechanism mismatch"),
            HandshakeError::IncompatibleSocketType { peer, .. } => {
                write!(
                    f,
                    "incompatible peer socket type {:?}",
                    String::from_utf8_lossy(peer)
                )
            }
            HandshakeError::InvalidMetadata { .. } => f.write_str("malformed metadata"),
            HandshakeError::PeerError { reason } => {
                write!(f, "peer sent ERROR {:?}", String::from_utf8_lossy(reason))
            }
            HandshakeError::Auth { status } => write!(f, "authentication failed ({status})"),
            HandshakeError::NoZapHandler => f.write_str("no ZAP handler"),
            HandshakeError::LegacyPeerRejected => {
                f.write_str("ZMTP 1.0/2.0 peer refused: security is on")
            }
            HandshakeError::Frame(e) => write!(f, "{e}"),
            HandshakeError::InvalidState => f.write_str("handshake used in the wrong state"),
        }
    }
}

impl std::error::Error for HandshakeError {}

impl From<ProtocolError> for HandshakeError {
    fn from(e: ProtocolError) -> Self {
        HandshakeError::Frame(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peer_error_with_zap_status_is_an_auth_event() {
        let e = HandshakeError::PeerError {
            reason: Bytes::from_static(b"400"),
        };
        assert_eq!(e.event(), Some(HandshakeEvent::Auth { status: 400 }));
        let e = HandshakeError::PeerError {
            reason: Bytes::from_static(b"nope"),
        };
        assert_eq!(e.event(), None);
        let e = HandshakeError::PeerError {
            reason: Bytes::from_static(b"200"),
        };
        assert_eq!(e.event(), None);
    }

    #[test]
    fn metadata_errors_report_only_when_libzmq_does() {
        assert_eq!(
            HandshakeError::InvalidMetadata { reported: false }.event(),
            None
        );
        assert_eq!(
            HandshakeError::InvalidMetadata { reported: true }.event(),
            Some(HandshakeEvent::Protocol {
                code: code::ZMTP_INVALID_METADATA
            })
        );
    }

    #[test]
    fn event_numbers_match_zmq_h() {
        let ev = HandshakeEvent::NoDetail {
            errno: errno::EFAULT,
        };
        assert_eq!((ev.event(), ev.value()), (0x0800, 14));
        let ev = HandshakeEvent::Protocol {
            code: code::ZMTP_MECHANISM_MISMATCH,
        };
        assert_eq!((ev.event(), ev.value()), (0x2000, 0x1100_0002));
        let ev = HandshakeEvent::Auth { status: 300 };
        assert_eq!((ev.event(), ev.value()), (0x4000, 300));
    }
}
