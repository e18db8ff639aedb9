//! Frame codec for ZMTP 1.0, 2.0 and 3.x: bytes in, `Frame`s out; frame
//! headers into a caller's buffer.
//!
//! Decoding is zero-copy: a frame's body is `split_to(..).freeze()` of the
//! caller's `BytesMut`, so it shares the read chunk. The size limit
//! (`ZMQ_MAXMSGSIZE`) is checked as soon as a header's size field is
//! complete, before the body is waited for, so an oversized frame drops the
//! connection without buffering anything. This module never allocates per
//! frame and never touches an fd.
//!
//! Wire formats:
//! - ZMTP 1.0 (RFC 13): `size flags body`, where size counts the flags
//!   octet; size < 255 is one octet, else `0xFF` + 8 octets big-endian.
//!   Only the MORE bit of flags is significant.
//! - ZMTP 2.0 and 3.x (RFC 15, RFC 23/37 §Framing): `flags size body`,
//!   flags MORE=1, LONG=2, COMMAND=4 (3.x; libzmq's decoder accepts it on
//!   2.0 too); LONG selects an 8-octet big-endian size.
//!
//! When CURVE lands, its MESSAGE boxes are ordinary COMMAND frames at this
//! level: the mechanism opens each decoded frame (and seals each outgoing
//! frame, re-framed with `encode_command`) above this codec, so the header
//! functions here stay as they are.

use bytes::{Buf, BufMut, Bytes, BytesMut};
use std::fmt;

use super::error::errno;

mod encode;
pub use encode::*;

/// MORE flag: further frames of this message follow.
pub const FLAG_MORE: u8 = 0x01;
/// LONG flag: the size field is 8 octets.
pub const FLAG_LONG: u8 = 0x02;
/// COMMAND flag: the frame is a command (ZMTP 3.x).
pub const FLAG_COMMAND: u8 = 0x04;
/// Bits 7-3 are reserved and "MUST be zero" (RFC 37 §Framing).
pub const FLAGS_RESERVED: u8 = 0xF8;
/// The longest frame header any version produces (ZMTP 1.0 long form).
pub const MAX_HEADER_LEN: usize = 10;

/// The protocol version agreed by the greeting; it selects the framing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Version {
    /// ZMTP 1.0 (no greeting, or a greeting with revision 0).
    V1,
    /// ZMTP 2.0 (revision 1).
    V2,
    /// ZMTP 3.0 (revision 3, minor 0): commands, but subscriptions travel
    /// as messages.
    V3_0,
    /// ZMTP 3.1 (revision 3, minor ≥ 1; also any revision ≥ 2 that is not
    /// 3, which libzmq treats as 3.1).
    V3_1,
}

impl Version {
    /// Whether this version uses the `flags size` framing of 2.0 and later.
    pub fn is_v2_framing(self) -> bool {
        self != Version::V1
    }

    /// Whether a security handshake and commands exist (ZMTP 3.x).
    pub fn has_commands(self) -> bool {
        matches!(self, Version::V3_0 | Version::V3_1)
    }
}

/// One decoded frame. `body` shares the read buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub more: bool,
    pub command: bool,
    pub body: Bytes,
}

/// A frame that cannot be accepted; the connection must be dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtocolError {
    /// The body is larger than `max_msg_size` (or than memory can address).
    TooLarge { size: u64, max: i64 },
    /// A reserved flag bit (7-3) is set.
    ReservedFlags(u8),
    /// A ZMTP 1.0 size of zero: there is not even a flags octet.
    EmptyV1Frame,
}

impl ProtocolError {
    /// The errno libzmq's decoders set for this error.
    pub fn errno(&self) -> i32 {
        match self {
            ProtocolError::TooLarge { .. } => errno::EMSGSIZE,
            ProtocolError::ReservedFlags(_) | ProtocolError::EmptyV1Frame => errno::EPROTO,
        }
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtocolError::TooLarge { size, max } => {
                write!(f, "frame of {size} bytes exceeds limit {max}")
            }
            ProtocolError::ReservedFlags(fl) => write!(f, "reserved frame flags set: {fl:#04x}"),
            ProtocolError::EmptyV1Frame => f.write_str("ZMTP 1.0 frame without flags"),
        }
    }
}

impl std::error::Error for ProtocolError {}

/// A complete header of a large frame (`Decoder::large_header`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LargeHeader {
    pub header_len: usize,
    /// Announced by the peer; checked against the size limits only.
    pub body_len: usize,
    pub more: bool,
    pub command: bool,
}

/// A complete header.
#[derive(Clone, Copy, Debug)]
struct Header {
    header_len: usize,
    body_len: usize,
    more: bool,
    command: bool,
}

enum HeaderState {
    /// The buffer must hold at least this many bytes to finish the header.
    Need(usize),
    Ready(Header),
}

/// Frame decoder. It holds no partial frame: a frame is taken out of the
/// buffer only once all of it is there, so the caller can keep reading into
/// the same `BytesMut` (reserving `needed()` bytes for large bodies).
#[derive(Clone, Debug)]
pub struct Decoder {
    version: Version,
    max_msg_size: i64,
}

impl Decoder {
    /// `max_msg_size` is `ZMQ_MAXMSGSIZE`: -1 (any negative) = unlimited.
    pub fn new(version: Version, max_msg_size: i64) -> Self {
        Decoder {
            version,
            max_msg_size,
        }
    }

    pub fn version(&self) -> Version {
        self.version
    }

    pub fn max_msg_size(&self) -> i64 {
        self.max_msg_size
    }

    /// How many bytes `buf` must hold before `decode` can return the next
    /// frame: the header's length while the header is incomplete, then
    /// header + body. When the header is invalid it returns `buf.len()`,
    /// so the caller calls `decode` and gets the error.
    pub fn needed(&self, buf: &[u8]) -> usize {
        match self.header(buf) {
            Ok(HeaderState::Need(n)) => n,
            Ok(HeaderState::Ready(h)) => h.header_len.saturating_add(h.body_len),
            Err(_) => buf.len(),
        }
    }

    /// Takes one whole frame off the front of `buf`, or returns `Ok(None)`
    /// (consuming nothing) when it is not all there yet. An error means the
    /// connection must be dropped; it is returned as soon as the header
    /// shows it, even if the body has not arrived.
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, ProtocolError> {
        let h = match self.header(buf)? {
            HeaderState::Need(_) => return Ok(None),
            HeaderState::Ready(h) => h,
        };
        if buf.len() - h.header_len < h.body_len {
            return Ok(None);
        }
        buf.advance(h.header_len);
        let body = buf.split_to(h.body_len).freeze();
        Ok(Some(Frame {
            more: h.more,
            command: h.command,
            body,
        }))
    }

    /// Takes one whole small data frame off the front of `buf` without
    /// splitting the buffer: `small(more, body)` gets the body borrowed
    /// (the hot path for small messages: the caller copies it inline).
    /// Returns `Ok(None)` when the next frame is not a whole data frame of
    /// at most `max` bytes; then use `decode`.
    pub fn decode_small<R>(
        &mut self,
        buf: &mut BytesMut,
        max: usize,
        small: impl FnOnce(bool, &[u8]) -> R,
    ) -> Result<Option<R>, ProtocolError> {
        let h = match self.header(buf)? {
            HeaderState::Need(_) => return Ok(None),
            HeaderState::Ready(h) => h,
        };
        if h.command || h.body_len > max || buf.len() - h.header_len < h.body_len {
            return Ok(None);
        }
        let end = h.header_len + h.body_len;
        let r = small(h.more, &buf[h.header_len..end]);
        buf.advance(end);
        Ok(Some(r))
    }

    /// The next frame's header when it is complete and announces a body of
    /// at least `min` bytes (data or command). The caller may then read
    /// the body into storage of its own (large bodies) and must consume
    /// `header_len + body_len` bytes itself. `body_len` has passed the
    /// size checks (`ZMQ_MAXMSGSIZE`, addressable memory) but is still
    /// only what the peer announced: storage for it must grow as the
    /// bytes arrive, not be allocated from it up front.
    pub fn large_header(
        &self,
        buf: &[u8],
        min: usize,
    ) -> Result<Option<LargeHeader>, ProtocolError> {
        match self.header(buf)? {
            HeaderState::Ready(h) if h.body_len >= min => Ok(Some(LargeHeader {
                header_len: h.header_len,
                body_len: h.body_len,
                more: h.more,
                command: h.command,
            })),
            _ => Ok(None),
        }
    }

    fn check_size(&self, size: u64) -> Result<usize, ProtocolError> {
        let too_large = ProtocolError::TooLarge {
            size,
            max: self.max_msg_size,
        };
        if self.max_msg_size >= 0 && size > self.max_msg_size as u64 {
            return Err(too_large);
        }
        // A body must fit in one allocation (libzmq: "must fit into size_t").
        if size > isize::MAX as u64 {
            return Err(too_large);
        }
        Ok(size as usize)
    }

    fn header(&self, buf: &[u8]) -> Result<HeaderState, ProtocolError> {
        if self.version.is_v2_framing() {
            self.header_v2(buf)
        } else {
            self.header_v1(buf)
        }
    }

    fn header_v2(&self, buf: &[u8]) -> Result<HeaderState, ProtocolError> {
        let Some(&flags) = buf.first() else {
            return Ok(HeaderState::Need(2));
        };
        // libzmq ignores these bits; RFC 37 §Framing says they MUST be zero
        // and we refuse them so that a future flag is never misread as data.
        if flags & FLAGS_RESERVED != 0 {
            return Err(ProtocolError::ReservedFlags(flags));
        }
        let (header_len, size) = if flags & FLAG_LONG != 0 {
            if buf.len() < 9 {
                return Ok(HeaderState::Need(9));
            }
            (9, read_u64(&buf[1..9]))
        } else {
            if buf.len() < 2 {
                return Ok(HeaderState::Need(2));
            }
            (2, u64::from(buf[1]))
        };
        let body_len = self.check_size(size)?;
        Ok(HeaderState::Ready(Header {
            header_len,
            body_len,
            more: flags & FLAG_MORE != 0,
            command: flags & FLAG_COMMAND != 0,
        }))
    }

    fn header_v1(&self, buf: &[u8]) -> Result<HeaderState, ProtocolError> {
        let Some(&first) = buf.first() else {
            return Ok(HeaderState::Need(2));
        };
        // The size counts the flags octet, so zero is malformed (RFC 13).
        let (flags_pos, body_len) = if first == 0xFF {
            if buf.len() < 9 {
                return Ok(HeaderState::Need(10));
            }
            let size = read_u64(&buf[1..9]);
            if size == 0 {
                return Err(ProtocolError::EmptyV1Frame);
            }
            (9, self.check_size(size - 1)?)
        } else {
            if first == 0 {
                return Err(ProtocolError::EmptyV1Frame);
            }
            (1, self.check_size(u64::from(first) - 1)?)
        };
        let Some(&flags) = buf.get(flags_pos) else {
            return Ok(HeaderState::Need(flags_pos + 1));
        };
        // ZMTP 1.0 flags: only MORE means anything (libzmq masks the rest;
        // its own unversioned greeting even sends 0x7F here).
        Ok(HeaderState::Ready(Header {
            header_len: flags_pos + 1,
            body_len,
            more: flags & FLAG_MORE != 0,
            command: false,
        }))
    }
}

fn read_u64(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[..8]);
    u64::from_be_bytes(a)
}

#[cfg(test)]
mod tests;
