//! Frame headers into a caller's buffer, and `Encoder`, the framing half
//! of a connection's output side.

use bytes::{BufMut, BytesMut};

use super::{Version, FLAG_COMMAND, FLAG_LONG, FLAG_MORE, MAX_HEADER_LEN};

/// Writes a frame header for a body of `len` bytes. ZMTP 1.0 has no
/// commands: `command` is ignored there.
pub fn encode_header(version: Version, more: bool, command: bool, len: usize, out: &mut BytesMut) {
    if version.is_v2_framing() {
        let mut flags = 0;
        if more {
            flags |= FLAG_MORE;
        }
        if command {
            flags |= FLAG_COMMAND;
        }
        if len > 255 {
            out.put_u8(flags | FLAG_LONG);
            out.put_u64(len as u64);
        } else {
            out.put_u8(flags);
            out.put_u8(len as u8);
        }
    } else {
        // The size counts the flags octet; 0xFF is the escape, so 254 bytes
        // of body (size 255) already need the long form.
        let size = len as u64 + 1;
        if size < 255 {
            out.put_u8(size as u8);
        } else {
            out.put_u8(0xFF);
            out.put_u64(size);
        }
        out.put_u8(u8::from(more));
    }
}

/// Writes a whole frame (header and a copy of the body).
pub fn encode_frame(version: Version, more: bool, command: bool, body: &[u8], out: &mut BytesMut) {
    out.reserve(MAX_HEADER_LEN + body.len());
    encode_header(version, more, command, body.len(), out);
    out.extend_from_slice(body);
}

/// Writes a command frame's header and name for `data_len` bytes of data,
/// which the caller appends. `name` is at most 255 bytes.
pub fn encode_command_header(version: Version, name: &[u8], data_len: usize, out: &mut BytesMut) {
    debug_assert!(!name.is_empty() && name.len() <= 255);
    let name = &name[..name.len().min(255)];
    encode_header(version, false, true, 1 + name.len() + data_len, out);
    out.put_u8(name.len() as u8);
    out.extend_from_slice(name);
}

/// Writes a whole command: `name` (≤ 255 bytes) and `data`.
pub fn encode_command(version: Version, name: &[u8], data: &[u8], out: &mut BytesMut) {
    out.reserve(MAX_HEADER_LEN + 1 + name.len() + data.len());
    encode_command_header(version, name, data.len(), out);
    out.extend_from_slice(data);
}

/// The framing half of a connection's output side, chosen by the
/// handshake. A thin wrapper so the I/O layer needs no `Version` plumbing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Encoder {
    version: Version,
}

impl Encoder {
    pub fn new(version: Version) -> Self {
        Encoder { version }
    }

    pub fn version(&self) -> Version {
        self.version
    }

    /// Header of a message frame with a `len`-byte body (the body follows,
    /// e.g. by `writev`, without being copied).
    pub fn message_header(&self, more: bool, len: usize, out: &mut BytesMut) {
        encode_header(self.version, more, false, len, out);
    }

    /// A whole message frame, body copied (fine for small bodies).
    pub fn message(&self, more: bool, body: &[u8], out: &mut BytesMut) {
        encode_frame(self.version, more, false, body, out);
    }

    /// A whole command frame.
    pub fn command(&self, name: &[u8], data: &[u8], out: &mut BytesMut) {
        encode_command(self.version, name, data, out);
    }
}
