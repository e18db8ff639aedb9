//! ZWS 2.0 framing at the message level, for the session's pumps:
//! `WsDecoder` takes each WebSocket message off the read buffer as the
//! ZMTP frame it carries (no ZMTP bytes in between), `WsEncoder` writes a
//! WebSocket header where the ZMTP encoder writes a ZMTP header.

use super::*;
use crate::zmtp::codec::{Frame, LargeHeader};

/// Unmasks `data` in place, its first byte at mask position `start`.
pub fn unmask(data: &mut [u8], key: [u8; 4], start: usize) {
    let k: [u8; 4] = std::array::from_fn(|i| key[(start + i) % 4]);
    let k8 = u64::from_ne_bytes([k[0], k[1], k[2], k[3], k[0], k[1], k[2], k[3]]);
    let mut chunks = data.chunks_exact_mut(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        c.copy_from_slice(&(u64::from_ne_bytes(w) ^ k8).to_ne_bytes());
    }
    for (i, b) in chunks.into_remainder().iter_mut().enumerate() {
        *b ^= k[i % 4];
    }
}

/// A complete, checked WebSocket frame header.
#[derive(Clone, Copy, Debug)]
struct Head {
    op: u8,
    /// Header bytes, masking key included (not the ZWS flags byte).
    len: usize,
    /// The payload length (the flags byte included for binary messages).
    payload: u64,
    key: Option<[u8; 4]>,
}

/// The peer's WebSocket messages, each taken off the read buffer as the
/// ZMTP frame it stands for (RFC 45: first payload byte = flags, bit 0
/// MORE, bit 1 COMMAND). PING/PONG control frames stand for PING/PONG
/// commands, CLOSE ends the stream. Like `codec::Decoder` it holds no
/// partial message: a message is taken only once all of it is buffered,
/// and a length is checked against `ZMQ_MAXMSGSIZE` on its header, before
/// anything is allocated.
#[derive(Debug)]
pub struct WsDecoder {
    /// Frames must be masked: we are the server.
    masked: bool,
    max_msg_size: i64,
    /// Bare ZWS2.0: the socket type the synthetic READY announces, until
    /// the peer's routing-id message has been turned into it.
    bare_peer_type: Option<&'static str>,
    closed: bool,
    /// The masking key of the large body being read (`large_header`).
    large_key: Option<[u8; 4]>,
}

impl WsDecoder {
    pub fn new(masked: bool, max_msg_size: i64, bare_peer_type: Option<&'static str>) -> Self {
        WsDecoder {
            masked,
            max_msg_size,
            bare_peer_type,
            closed: false,
            large_key: None,
        }
    }

    /// The peer sent CLOSE: nothing more comes from it.
    pub fn closed(&self) -> bool {
        self.closed
    }

    /// The next frame's header once all of it is buffered (the same checks,
    /// in the same order, as `FrameDecoder`).
    fn head(&self, buf: &[u8]) -> Result<Option<Head>, WsError> {
        if buf.len() < 2 {
            return Ok(None);
        }
        let (b0, b1) = (buf[0], buf[1]);
        if b0 & 0x80 == 0 {
            return Err(WsError::Frame("fragmented message"));
        }
        let op = b0 & 0x0F;
        if !matches!(op, OP_BINARY | OP_CLOSE | OP_PING | OP_PONG) {
            return Err(WsError::Frame("opcode not supported"));
        }
        if (b1 & 0x80 != 0) != self.masked {
            return Err(WsError::Frame("wrong masking"));
        }
        let ext = match b1 & 0x7F {
            126 => 2,
            127 => 8,
            _ => 0,
        };
        let hl = 2 + ext + if self.masked { 4 } else { 0 };
        if buf.len() < hl {
            return Ok(None);
        }
        let payload = match ext {
            2 => u16::from_be_bytes([buf[2], buf[3]]) as u64,
            8 => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&buf[2..10]);
                u64::from_be_bytes(b)
            }
            _ => (b1 & 0x7F) as u64,
        };
        if payload >> 63 != 0 {
            return Err(WsError::Frame("length out of range"));
        }
        if op != OP_BINARY {
            // RFC 6455 §5.5: control frames carry at most 125 bytes.
            if payload > 125 {
                return Err(WsError::Frame("control frame too long"));
            }
        } else {
            if payload == 0 {
                return Err(WsError::Frame("empty binary message"));
            }
            if self.max_msg_size >= 0 && payload - 1 > self.max_msg_size as u64 {
                return Err(WsError::TooLarge);
            }
            // Bare ZWS2.0's routing id, checked once its flags byte is
            // there (as `FrameDecoder` does).
            if self.bare_peer_type.is_some() && payload - 1 > 255 && buf.len() > hl {
                return Err(WsError::Frame("routing id too long"));
            }
        }
        let key = self.masked.then(|| {
            let mut k = [0u8; 4];
            k.copy_from_slice(&buf[hl - 4..hl]);
            k
        });
        Ok(Some(Head {
            op,
            len: hl,
            payload,
            key,
        }))
    }

    /// The next header when it is a data message the pumps may take
    /// apart (`decode_small`, `large_header`): not a control frame, not
    /// bare ZWS2.0's routing id, and nothing after a CLOSE (`decode`
    /// drops what follows it, so no header there is looked at, good or
    /// bad).
    fn data_head(&self, buf: &[u8]) -> Result<Option<Head>, WsError> {
        if self.closed {
            return Ok(None);
        }
        Ok(self
            .head(buf)?
            .filter(|h| h.op == OP_BINARY && self.bare_peer_type.is_none()))
    }

    /// A binary message's flags byte, unmasked, once it is buffered.
    fn flags(h: &Head, buf: &[u8]) -> Option<u8> {
        buf.get(h.len).map(|f| f ^ h.key.map_or(0, |k| k[0]))
    }

    /// How many bytes `buf` must hold before `decode` can take the next
    /// message (`buf.len()` when its header is bad: `decode` then says so).
    pub fn needed(&self, buf: &[u8]) -> usize {
        match self.head(buf) {
            Ok(Some(h)) => h.len.saturating_add(h.payload as usize),
            Ok(None) => 14,
            Err(_) => buf.len(),
        }
    }

    /// Takes one whole message off the front of `buf` as the frame it
    /// stands for, or `Ok(None)` (consuming nothing, or a CLOSE: then
    /// `closed()`) when none is all there yet.
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, WsError> {
        if self.closed {
            buf.clear();
            return Ok(None);
        }
        let Some(h) = self.head(buf)? else {
            return Ok(None);
        };
        if buf.len() - h.len < h.payload as usize {
            return Ok(None);
        }
        buf.advance(h.len);
        let mut data = buf.split_to(h.payload as usize);
        if let Some(k) = h.key {
            unmask(&mut data, k, 0);
        }
        let command = |name: &[u8], rest: &[&[u8]]| {
            let mut b = BytesMut::new();
            b.put_u8(name.len() as u8);
            b.extend_from_slice(name);
            for r in rest {
                b.extend_from_slice(r);
            }
            Some(Frame {
                more: false,
                command: true,
                body: b.freeze(),
            })
        };
        let ctx = |d: &[u8]| d.len().min(crate::zmtp::command::PING_MAX_CONTEXT);
        match h.op {
            OP_PING => Ok(command(b"PING", &[&[0, 0], &data[..ctx(&data)]])),
            OP_PONG => Ok(command(b"PONG", &[&data[..ctx(&data)]])),
            OP_CLOSE => {
                self.closed = true;
                buf.clear();
                Ok(None)
            }
            _ => {
                let flags = data[0];
                if let Some(peer_type) = self.bare_peer_type.take() {
                    // Bare ZWS2.0: the peer's routing id stands for the
                    // READY a NULL handshake expects.
                    let mut md = BytesMut::new();
                    crate::zmtp::metadata::encode_property(
                        b"Socket-Type",
                        peer_type.as_bytes(),
                        &mut md,
                    );
                    crate::zmtp::metadata::encode_property(b"Identity", &data[1..], &mut md);
                    return Ok(command(b"READY", &[&md]));
                }
                data.advance(1);
                Ok(Some(Frame {
                    more: flags & WS_MORE != 0,
                    command: flags & WS_COMMAND != 0,
                    body: data.freeze(),
                }))
            }
        }
    }

    /// Takes one whole data message of at most `max` body bytes off the
    /// front of `buf` without splitting the buffer (unmasked in place):
    /// `small(more, body)` gets the body borrowed. `Ok(None)` when the
    /// next message is not that; then use `decode`.
    pub fn decode_small<R>(
        &mut self,
        buf: &mut BytesMut,
        max: usize,
        small: impl FnOnce(bool, &[u8]) -> R,
    ) -> Result<Option<R>, WsError> {
        let Some(h) = self.data_head(buf)? else {
            return Ok(None);
        };
        let body = h.payload as usize - 1;
        let end = h.len + 1 + body;
        if body > max || buf.len() < end {
            return Ok(None);
        }
        if let Some(k) = h.key {
            unmask(&mut buf[h.len..end], k, 0);
        }
        let flags = buf[h.len];
        if flags & WS_COMMAND != 0 {
            // Put the mask back: `decode` takes it from the start.
            if let Some(k) = h.key {
                unmask(&mut buf[h.len..end], k, 0);
            }
            return Ok(None);
        }
        let r = small(flags & WS_MORE != 0, &buf[h.len + 1..end]);
        buf.advance(end);
        Ok(Some(r))
    }

    /// The next message's header (flags byte included) when it is a data
    /// or command message announcing a body of at least `min` bytes; the
    /// caller reads the body into storage of its own, consumes
    /// `header_len + body_len` bytes, then calls `unmask_large` on it.
    pub fn large_header(&mut self, buf: &[u8], min: usize) -> Result<Option<LargeHeader>, WsError> {
        let Some(h) = self.data_head(buf)? else {
            return Ok(None);
        };
        let body_len = h.payload as usize - 1;
        if body_len < min {
            return Ok(None);
        }
        let Some(flags) = Self::flags(&h, buf) else {
            return Ok(None);
        };
        self.large_key = h.key;
        Ok(Some(LargeHeader {
            header_len: h.len + 1,
            body_len,
            more: flags & WS_MORE != 0,
            command: flags & WS_COMMAND != 0,
        }))
    }

    /// Unmasks the body of the message `large_header` announced.
    pub fn unmask_large(&mut self, body: &mut [u8]) {
        if let Some(k) = self.large_key.take() {
            unmask(body, k, 1);
        }
    }
}

/// The session's frames as WebSocket messages for the peer: a header where
/// ZMTP has its header (server frames unmasked, client frames masked with
/// a fresh key each), then the body. Our own commands (the handshake's,
/// PING/PONG) go through `command`, which maps them to what libzmq's ws
/// engine sends; nothing here parses ZMTP.
pub struct WsEncoder {
    /// Some when we are the client: every frame is masked.
    mask: Option<MaskGen>,
    /// Bare ZWS2.0: our routing id, sent in place of our READY.
    bare_routing_id: Option<Vec<u8>>,
    /// The key and position of the message being written.
    key: Option<[u8; 4]>,
    pos: usize,
    /// CURVE: boxes are sealed here before they are framed.
    pub scratch: BytesMut,
}

impl WsEncoder {
    pub fn new(client: bool, bare_routing_id: Option<Vec<u8>>) -> Self {
        WsEncoder {
            mask: client.then(MaskGen::new),
            bare_routing_id,
            key: None,
            pos: 0,
            scratch: BytesMut::new(),
        }
    }

    /// Client frames are masked: a body cannot go out uncopied.
    pub fn masked(&self) -> bool {
        self.mask.is_some()
    }

    /// The header of one message carrying a frame of `len` body bytes.
    pub fn header(&mut self, more: bool, command: bool, len: usize, out: &mut BytesMut) {
        let key = put_frame_header(out, OP_BINARY, len as u64 + 1, self.mask.as_mut());
        let f = (if more { WS_MORE } else { 0 }) | (if command { WS_COMMAND } else { 0 });
        out.put_u8(f ^ key.map_or(0, |k| k[0]));
        self.key = key;
        self.pos = 1;
    }

    /// Body bytes of the message `header` started (masked if a client's).
    pub fn body(&mut self, data: &[u8], out: &mut BytesMut) {
        match self.key {
            Some(k) => {
                xor_into(data, k, self.pos, out);
                self.pos += data.len();
            }
            None => out.extend_from_slice(data),
        }
    }

    /// One command of ours, `body` being its name size, name and data
    /// (PING/PONG as control frames, SUBSCRIBE/CANCEL as `\x01`/`\x00`
    /// messages, bare ZWS2.0's READY as our routing id: `put_command`).
    pub fn command(&mut self, body: &[u8], out: &mut BytesMut) {
        put_command(self.mask.as_mut(), &mut self.bare_routing_id, body, out);
    }

    /// A whole subscription message (`\x01topic` / `\x00topic`).
    pub fn subscription(&mut self, subscribe: bool, topic: &[u8], out: &mut BytesMut) {
        self.header(false, false, 1 + topic.len(), out);
        self.body(&[subscribe as u8], out);
        self.body(topic, out);
    }
}

impl std::fmt::Debug for WsEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsEncoder")
            .field("masked", &self.masked())
            .finish()
    }
}

/// A frame as ZMTP 3.1 bytes (the fuzz targets compare the two decoders
/// with it).
#[cfg(any(test, feature = "fuzzing"))]
pub fn frame_as_zmtp(f: &Frame, out: &mut BytesMut) {
    crate::zmtp::codec::encode_frame(Version::V3_1, f.more, f.command, &f.body, out);
}
