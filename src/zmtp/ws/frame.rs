//! WebSocket framing (RFC 6455 §5): the frame header and masking the
//! connection's `WsDecoder`/`WsEncoder` (`message.rs`) use, `put_command`
//! (how one of our commands goes out as a WebSocket message), and, built
//! only for tests and the fuzz targets, the same framing as a translator
//! to and from a ZMTP 3.1 byte stream: `FrameDecoder` (frames in, ZMTP
//! bytes out) and `FrameEncoder` (ZMTP bytes in, frames out), the
//! reference the fuzz targets compare the connection's framing with.

use super::*;

pub(super) const OP_BINARY: u8 = 0x2;
pub(super) const OP_CLOSE: u8 = 0x8;
pub(super) const OP_PING: u8 = 0x9;
pub(super) const OP_PONG: u8 = 0xA;

/// ZWS 2.0 flags (first payload byte of a binary message).
pub(super) const WS_MORE: u8 = 1;
pub(super) const WS_COMMAND: u8 = 2;
/// ZMTP 3.x frame flags.
pub(super) const ZMTP_MORE: u8 = 1;
pub(super) const ZMTP_LONG: u8 = 2;
pub(super) const ZMTP_COMMAND: u8 = 4;

/// Masking keys (RFC 6455 §5.3): unpredictable enough for a proxy cache,
/// not secret.
pub struct MaskGen(u64);

impl MaskGen {
    pub fn new() -> Self {
        MaskGen(crate::util::random::seed() | 1)
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        // xorshift64
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn next_key(&mut self) -> [u8; 4] {
        (self.next_u64() as u32).to_be_bytes()
    }
}

impl Default for MaskGen {
    fn default() -> Self {
        Self::new()
    }
}

/// Appends `src` masked with `key`, the first byte at mask position
/// `start` (RFC 6455 §5.3), eight bytes at a time.
pub(super) fn xor_into(src: &[u8], key: [u8; 4], start: usize, out: &mut BytesMut) {
    let k: [u8; 4] = std::array::from_fn(|i| key[(start + i) % 4]);
    let k8 = u64::from_ne_bytes([k[0], k[1], k[2], k[3], k[0], k[1], k[2], k[3]]);
    let base = out.len();
    out.extend_from_slice(src);
    let mut chunks = out[base..].chunks_exact_mut(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        c.copy_from_slice(&(u64::from_ne_bytes(w) ^ k8).to_ne_bytes());
    }
    for (i, b) in chunks.into_remainder().iter_mut().enumerate() {
        *b ^= k[i % 4];
    }
}

/// Writes one final WebSocket frame: `flags` (binary messages) is the
/// first payload byte, then `payload`; masked with a fresh key if `mask`.
pub(super) fn put_frame(
    out: &mut BytesMut,
    op: u8,
    flags: Option<u8>,
    payload: &[u8],
    mask: Option<&mut MaskGen>,
) {
    let len = payload.len() as u64 + flags.is_some() as u64;
    let key = put_frame_header(out, op, len, mask);
    let mut pos = 0;
    if let Some(f) = flags {
        out.put_u8(f ^ key.map_or(0, |k| k[0]));
        pos = 1;
    }
    match key {
        Some(k) => xor_into(payload, k, pos, out),
        None => out.extend_from_slice(payload),
    }
}

pub(super) fn put_frame_header(
    out: &mut BytesMut,
    op: u8,
    len: u64,
    mask: Option<&mut MaskGen>,
) -> Option<[u8; 4]> {
    out.put_u8(0x80 | op);
    let m = if mask.is_some() { 0x80 } else { 0 };
    if len <= 125 {
        out.put_u8(m | len as u8);
    } else if len <= 0xFFFF {
        out.put_u8(m | 126);
        out.put_u16(len as u16);
    } else {
        out.put_u8(m | 127);
        out.put_u64(len);
    }
    mask.map(|g| {
        let k = g.next_key();
        out.extend_from_slice(&k);
        k
    })
}

pub(super) fn put_zmtp_header(out: &mut BytesMut, flags: u8, len: u64) {
    if len > 255 {
        out.put_u8(flags | ZMTP_LONG);
        out.put_u64(len);
    } else {
        out.put_u8(flags);
        out.put_u8(len as u8);
    }
}

#[cfg(any(test, feature = "fuzzing"))]
pub(super) enum DecState {
    Header,
    /// A binary message's body, streamed out as it arrives.
    Body {
        left: u64,
        key: Option<[u8; 4]>,
        pos: usize,
    },
    /// A control frame (or bare ZWS2.0's routing-id message), gathered whole.
    Whole {
        op: u8,
        left: usize,
        key: Option<[u8; 4]>,
        pos: usize,
        data: Vec<u8>,
    },
    Closed,
}

#[cfg(any(test, feature = "fuzzing"))]
/// Peer's WebSocket frames → ZMTP 3.1 bytes for the session.
pub struct FrameDecoder {
    /// Frames must be masked: we are the server.
    masked: bool,
    max_msg_size: i64,
    state: DecState,
    /// Bare ZWS2.0: the socket type the synthetic READY announces, until
    /// the peer's routing-id message has been turned into it.
    bare_peer_type: Option<&'static str>,
}

#[cfg(any(test, feature = "fuzzing"))]
/// A pseudo-opcode for bare ZWS2.0's routing-id message.
pub(super) const OP_ROUTING_ID: u8 = 0xF0;

#[cfg(any(test, feature = "fuzzing"))]
impl FrameDecoder {
    pub fn new(masked: bool, max_msg_size: i64, bare_peer_type: Option<&'static str>) -> Self {
        FrameDecoder {
            masked,
            max_msg_size,
            state: DecState::Header,
            bare_peer_type,
        }
    }

    /// Consumes whole or partial frames from `input`, appending the ZMTP
    /// bytes they stand for to `out`. `Ok(true)` once the peer sent CLOSE.
    pub fn decode(&mut self, input: &mut BytesMut, out: &mut BytesMut) -> Result<bool, WsError> {
        loop {
            match &mut self.state {
                DecState::Closed => {
                    input.clear();
                    return Ok(true);
                }
                DecState::Header => {
                    if !self.header(input, out)? {
                        return Ok(false);
                    }
                }
                DecState::Body { left, key, pos } => {
                    if input.is_empty() {
                        return Ok(false);
                    }
                    let n = (*left).min(input.len() as u64) as usize;
                    match key {
                        Some(k) => xor_into(&input[..n], *k, *pos, out),
                        None => out.extend_from_slice(&input[..n]),
                    }
                    input.advance(n);
                    *pos += n;
                    *left -= n as u64;
                    if *left == 0 {
                        self.state = DecState::Header;
                    }
                }
                DecState::Whole {
                    op,
                    left,
                    key,
                    pos,
                    data,
                } => {
                    let n = (*left).min(input.len());
                    if n == 0 && *left > 0 {
                        return Ok(false);
                    }
                    let start = *pos;
                    data.extend(
                        input[..n]
                            .iter()
                            .enumerate()
                            .map(|(i, b)| b ^ key.map_or(0, |k| k[(start + i) % 4])),
                    );
                    input.advance(n);
                    *pos += n;
                    *left -= n;
                    if *left == 0 {
                        let (op, data) = (*op, std::mem::take(data));
                        self.state = DecState::Header;
                        match op {
                            OP_PING => encode_ping(Version::V3_1, 0, &data, out),
                            OP_PONG => encode_pong(Version::V3_1, &data, out),
                            OP_CLOSE => self.state = DecState::Closed,
                            _ => {
                                // Bare ZWS2.0: the peer's routing id stands
                                // for the READY a NULL handshake expects.
                                let peer_type = self.bare_peer_type.take().unwrap_or("");
                                let mut md = BytesMut::new();
                                crate::zmtp::metadata::encode_property(
                                    b"Socket-Type",
                                    peer_type.as_bytes(),
                                    &mut md,
                                );
                                crate::zmtp::metadata::encode_property(b"Identity", &data, &mut md);
                                encode_command(Version::V3_1, b"READY", &md, out);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Parses one frame header if all of it is in `input`.
    fn header(&mut self, input: &mut BytesMut, out: &mut BytesMut) -> Result<bool, WsError> {
        if input.len() < 2 {
            return Ok(false);
        }
        let (b0, b1) = (input[0], input[1]);
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
        let mask_len = if self.masked { 4 } else { 0 };
        let hl = 2 + ext + mask_len;
        if input.len() < hl {
            return Ok(false);
        }
        let len = match ext {
            2 => u16::from_be_bytes([input[2], input[3]]) as u64,
            8 => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&input[2..10]);
                u64::from_be_bytes(b)
            }
            _ => (b1 & 0x7F) as u64,
        };
        if len >> 63 != 0 {
            return Err(WsError::Frame("length out of range"));
        }
        let key = self.masked.then(|| {
            let mut k = [0u8; 4];
            k.copy_from_slice(&input[2 + ext..hl]);
            k
        });
        if op != OP_BINARY {
            // RFC 6455 §5.5: control frames carry at most 125 bytes.
            if len > 125 {
                return Err(WsError::Frame("control frame too long"));
            }
            input.advance(hl);
            self.state = DecState::Whole {
                op,
                left: len as usize,
                key,
                pos: 0,
                data: Vec::new(),
            };
            return Ok(true);
        }
        if len == 0 {
            return Err(WsError::Frame("empty binary message"));
        }
        let body = len - 1;
        if self.max_msg_size >= 0 && body > self.max_msg_size as u64 {
            return Err(WsError::TooLarge);
        }
        if input.len() < hl + 1 {
            // The flags byte has not arrived yet.
            return Ok(false);
        }
        let flags = input[hl] ^ key.map_or(0, |k| k[0]);
        input.advance(hl + 1);
        if self.bare_peer_type.is_some() {
            if body > 255 {
                return Err(WsError::Frame("routing id too long"));
            }
            self.state = DecState::Whole {
                op: OP_ROUTING_ID,
                left: body as usize,
                key,
                pos: 1,
                data: Vec::new(),
            };
            return Ok(true);
        }
        let mut zf = 0;
        if flags & WS_MORE != 0 {
            zf |= ZMTP_MORE;
        }
        if flags & WS_COMMAND != 0 {
            zf |= ZMTP_COMMAND;
        }
        put_zmtp_header(out, zf, body);
        if body > 0 {
            self.state = DecState::Body {
                left: body,
                key,
                pos: 1,
            };
        }
        Ok(true)
    }
}

#[cfg(any(test, feature = "fuzzing"))]
pub(super) enum EncState {
    Header {
        buf: [u8; 9],
        have: usize,
    },
    Data {
        left: u64,
        key: Option<[u8; 4]>,
        pos: usize,
    },
    Command {
        left: usize,
        body: Vec<u8>,
    },
}

/// A stream of ZMTP 3.1 frames (no greeting) → WebSocket frames, each
/// frame one message, commands as `put_command` sends them: how the tests
/// and the fuzz targets play a ws peer from ZMTP bytes. A connection
/// frames its own traffic with `WsEncoder` and never goes through ZMTP.
#[cfg(any(test, feature = "fuzzing"))]
pub struct FrameEncoder {
    /// Some when we are the client: every frame is masked.
    pub(super) mask: Option<MaskGen>,
    state: EncState,
    /// Bare ZWS2.0: our routing id, sent in place of our READY.
    bare_routing_id: Option<Vec<u8>>,
}

#[cfg(any(test, feature = "fuzzing"))]
impl FrameEncoder {
    pub fn new(client: bool, bare_routing_id: Option<Vec<u8>>) -> Self {
        FrameEncoder {
            mask: client.then(MaskGen::new),
            state: EncState::Header {
                buf: [0; 9],
                have: 0,
            },
            bare_routing_id,
        }
    }

    pub fn encode(&mut self, mut input: &[u8], out: &mut BytesMut) {
        while !input.is_empty() {
            match &mut self.state {
                EncState::Header { buf, have } => {
                    let need = if *have > 0 && buf[0] & ZMTP_LONG != 0 {
                        9
                    } else {
                        2
                    };
                    if *have < need {
                        let n = (need - *have).min(input.len());
                        buf[*have..*have + n].copy_from_slice(&input[..n]);
                        *have += n;
                        input = &input[n..];
                        continue;
                    }
                    let flags = buf[0];
                    let len = if flags & ZMTP_LONG != 0 {
                        let mut b = [0u8; 8];
                        b.copy_from_slice(&buf[1..9]);
                        u64::from_be_bytes(b)
                    } else {
                        buf[1] as u64
                    };
                    self.start_frame(flags, len, out);
                }
                EncState::Data { left, key, pos } => {
                    let n = (*left).min(input.len() as u64) as usize;
                    match key {
                        Some(k) => xor_into(&input[..n], *k, *pos, out),
                        None => out.extend_from_slice(&input[..n]),
                    }
                    input = &input[n..];
                    *pos += n;
                    *left -= n as u64;
                    if *left == 0 {
                        self.state = EncState::Header {
                            buf: [0; 9],
                            have: 0,
                        };
                    }
                }
                EncState::Command { left, body } => {
                    let n = (*left).min(input.len());
                    body.extend_from_slice(&input[..n]);
                    input = &input[n..];
                    *left -= n;
                    if *left == 0 {
                        let body = std::mem::take(body);
                        self.finish_command(&body, out);
                    }
                }
            }
        }
        // A header that completed with the input's last byte.
        if let EncState::Header { buf, have } = &self.state {
            let need = if *have > 0 && buf[0] & ZMTP_LONG != 0 {
                9
            } else {
                2
            };
            if *have == need {
                let flags = buf[0];
                let len = if flags & ZMTP_LONG != 0 {
                    let mut b = [0u8; 8];
                    b.copy_from_slice(&buf[1..9]);
                    u64::from_be_bytes(b)
                } else {
                    buf[1] as u64
                };
                self.start_frame(flags, len, out);
            }
        }
    }

    fn start_frame(&mut self, flags: u8, len: u64, out: &mut BytesMut) {
        self.state = EncState::Header {
            buf: [0; 9],
            have: 0,
        };
        if flags & ZMTP_COMMAND != 0 {
            if len == 0 {
                self.finish_command(&[], out);
            } else {
                // Our own frame, but its size still only sets a first
                // capacity: the body grows as its bytes are encoded.
                self.state = EncState::Command {
                    left: len as usize,
                    body: Vec::with_capacity((len as usize).min(64 * 1024)),
                };
            }
            return;
        }
        let key = put_frame_header(out, OP_BINARY, len + 1, self.mask.as_mut());
        let f = if flags & ZMTP_MORE != 0 { WS_MORE } else { 0 };
        out.put_u8(f ^ key.map_or(0, |k| k[0]));
        if len > 0 {
            self.state = EncState::Data {
                left: len,
                key,
                pos: 1,
            };
        }
    }

    fn finish_command(&mut self, body: &[u8], out: &mut BytesMut) {
        self.state = EncState::Header {
            buf: [0; 9],
            have: 0,
        };
        put_command(self.mask.as_mut(), &mut self.bare_routing_id, body, out);
    }
}

/// One command of ours (`body`: name size, name, data) as the WebSocket
/// message libzmq's ws engine expects: PING/PONG as control frames,
/// SUBSCRIBE/CANCEL as `\x01`/`\x00` messages, bare ZWS2.0's READY as our
/// routing id (taken from `bare_routing_id`), anything else as a command
/// message.
pub(super) fn put_command(
    mask: Option<&mut MaskGen>,
    bare_routing_id: &mut Option<Vec<u8>>,
    body: &[u8],
    out: &mut BytesMut,
) {
    let (name, data) = match body.split_first() {
        Some((&n, rest)) if rest.len() >= n as usize => rest.split_at(n as usize),
        _ => (&[][..], body),
    };
    match name {
        // ws carries heartbeats as control frames.
        b"PING" => put_frame(out, OP_PING, None, data.get(2..).unwrap_or(&[]), mask),
        b"PONG" => put_frame(out, OP_PONG, None, &data[..data.len().min(125)], mask),
        // libzmq's ws engine takes subscriptions only as messages.
        b"SUBSCRIBE" | b"CANCEL" => {
            let mut m = Vec::with_capacity(data.len() + 1);
            m.push((name == b"SUBSCRIBE") as u8);
            m.extend_from_slice(data);
            put_frame(out, OP_BINARY, Some(0), &m, mask);
        }
        b"READY" if bare_routing_id.is_some() => {
            let rid = bare_routing_id.take().unwrap_or_default();
            put_frame(out, OP_BINARY, Some(0), &rid, mask);
        }
        _ => put_frame(out, OP_BINARY, Some(WS_COMMAND), body, mask),
    }
}
