//! ZWS 2.0 (RFC 45, libzmq's `ws://` transport), sans-IO: the HTTP/1.1
//! upgrade, and WebSocket framing: per message for the session's pumps
//! (`WsDecoder`, `WsEncoder`), and as a ZMTP 3.1 byte-stream translator
//! (`FrameDecoder`, `FrameEncoder`). No fd here.
//!
//! Facts this follows (RFC 45; libzmq 4.3.x `ws_engine`, `ws_decoder`,
//! `ws_encoder`; checked on the wire against Debian's libzmq 4.3.4):
//! - there is no ZMTP greeting: the mechanism is the negotiated
//!   subprotocol, `ZWS2.0/NULL`, `ZWS2.0/PLAIN`, `ZWS2.0/CURVE`, or bare
//!   `ZWS2.0` (NULL without READY: each side's first message is its
//!   routing id). A libzmq client offers `ZWS2.0/NULL,ZWS2.0`; the server
//!   takes the first offer it supports.
//! - each ZMTP frame is one final binary WebSocket message whose first
//!   payload byte holds the flags (bit 0 MORE, bit 1 COMMAND) and whose
//!   rest is the frame body; an empty binary message is an error.
//! - PING/PONG travel as WebSocket ping/pong control frames, not as ZMTP
//!   commands; subscriptions travel as `\x01topic`/`\x00topic` messages.
//! - client-to-server frames are masked, server-to-client ones are not;
//!   a frame with the wrong masking, a fragment, or a text frame is an error.
//! - the server does not check the request path.

use super::codec::{encode_command, Version};
use super::command::{encode_ping, encode_pong};
use base64::Engine as _;
use bytes::{Buf, BufMut, BytesMut};
use sha1::{Digest, Sha1};

mod frame;
mod message;
#[cfg(test)]
pub(crate) mod tests;
mod upgrade;

pub use frame::*;
pub use message::*;
pub use upgrade::*;

/// Why a peer's upgrade or frames were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WsError {
    /// The HTTP head is malformed, too long, or not an acceptable upgrade.
    Http(&'static str),
    /// A WebSocket frame breaks ZWS 2.0.
    Frame(&'static str),
    /// A message is larger than `ZMQ_MAXMSGSIZE`.
    TooLarge,
}

impl std::fmt::Display for WsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WsError::Http(w) => write!(f, "ws upgrade refused: {w}"),
            WsError::Frame(w) => write!(f, "ws frame refused: {w}"),
            WsError::TooLarge => write!(f, "ws message larger than ZMQ_MAXMSGSIZE"),
        }
    }
}

impl std::error::Error for WsError {}

/// The negotiated flavour of ZWS 2.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// `ZWS2.0/<MECHANISM>`: the mechanism's handshake runs in messages.
    Mechanism,
    /// Bare `ZWS2.0` (NULL only): routing-id messages instead of READY.
    Bare,
}
