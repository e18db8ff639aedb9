//! ZMTP, sans-IO: the bytes a connection exchanges, never the connection.
//!
//! Bytes in, frames and bytes-to-send out. Nothing here owns a file
//! descriptor, spawns a thread or reads a clock (times are passed in), so
//! every parser is unit-tested and fuzzed directly. The I/O layer drives it:
//!
//! - `handshake`: greeting with 1.0/2.0/3.0/3.1 detection, NULL, PLAIN and
//!   CURVE mechanisms, ZAP, socket-type checks → `Established` (decoder,
//!   encoder, peer metadata, and for CURVE the frame cipher).
//! - `codec`: frame decoder (zero-copy `Bytes` bodies, `ZMQ_MAXMSGSIZE`
//!   checked on the header) and header encoders.
//! - `traffic`: what an inbound frame means after the handshake (message,
//!   PING, PONG, SUBSCRIBE, CANCEL, ignored command).
//! - `heartbeat`: when to PING and when the connection is dead.
//! - `subscription`: how subscriptions travel to 3.1 vs older peers.
//! - `greeting`, `command`, `metadata`, `mechanism`, `zap`,
//!   `socket_type`: the pieces, usable alone.

#![forbid(unsafe_code)]

pub mod codec;
pub mod command;
pub mod error;
pub mod greeting;
pub mod handshake;
pub mod heartbeat;
pub mod mechanism;
pub mod metadata;
pub mod socket_type;
pub mod subscription;
pub mod traffic;
pub mod ws;
pub mod zap;

#[cfg(test)]
pub(crate) mod testutil;

pub use codec::{encode_header, Decoder, Encoder, Frame, ProtocolError, Version};
pub use command::Command;
pub use error::{HandshakeError, HandshakeEvent};
pub use handshake::{Established, Handshake, HandshakeConfig, Progress};
pub use heartbeat::{Heartbeat, HeartbeatAction, HeartbeatConfig};
pub use mechanism::MechanismConfig;
pub use socket_type::{compatible, socket_type_name};
pub use subscription::{encode_subscription, Subscription};
pub use traffic::{classify, Inbound};
pub use zap::{ZapReply, ZapRequest};
