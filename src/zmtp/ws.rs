//! ZWS 2.0 (RFC 45, libzmq's `ws://` transport), sans-IO: the HTTP/1.1
//! upgrade, and WebSocket framing translated to and from the ZMTP 3.1 byte
//! stream the session speaks. No fd here.
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

/// RFC 6455 §1.3: appended to the key before hashing.
const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/// The largest HTTP head we read before giving up on a peer.
pub const MAX_HEAD: usize = 8192;

const OP_BINARY: u8 = 0x2;
const OP_CLOSE: u8 = 0x8;
const OP_PING: u8 = 0x9;
const OP_PONG: u8 = 0xA;

/// ZWS 2.0 flags (first payload byte of a binary message).
const WS_MORE: u8 = 1;
const WS_COMMAND: u8 = 2;
/// ZMTP 3.x frame flags.
const ZMTP_MORE: u8 = 1;
const ZMTP_LONG: u8 = 2;
const ZMTP_COMMAND: u8 = 4;

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

/// `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key`.
pub fn accept_key(key: &str) -> String {
    let mut h = Sha1::new();
    h.update(key.as_bytes());
    h.update(GUID.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(h.finalize())
}

/// A fresh `Sec-WebSocket-Key`: 16 random bytes in base64.
pub fn new_key(mask: &mut MaskGen) -> String {
    let mut nonce = [0u8; 16];
    nonce[..8].copy_from_slice(&mask.next_u64().to_be_bytes());
    nonce[8..].copy_from_slice(&mask.next_u64().to_be_bytes());
    base64::engine::general_purpose::STANDARD.encode(nonce)
}

/// The subprotocols a client with `mechanism` offers, in order.
fn offers(mechanism: &[u8]) -> &'static [&'static str] {
    match mechanism {
        b"PLAIN" => &["ZWS2.0/PLAIN"],
        b"CURVE" => &["ZWS2.0/CURVE"],
        _ => &["ZWS2.0/NULL", "ZWS2.0"],
    }
}

fn flavour_of(protocol: &str) -> Flavour {
    if protocol == "ZWS2.0" {
        Flavour::Bare
    } else {
        Flavour::Mechanism
    }
}

/// An HTTP/1.1 request or response head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub start_line: String,
    pub headers: Vec<(String, String)>,
}

impl Head {
    fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn value<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        self.values(name).next()
    }

    /// Whether a comma-separated header holds `token` (case-insensitive).
    fn has_token(&self, name: &str, token: &str) -> bool {
        self.values(name)
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }

    /// `Upgrade: websocket` and `Connection: Upgrade` (RFC 6455 §4.1).
    fn is_upgrade(&self) -> bool {
        self.value("Upgrade")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("websocket"))
            && self.has_token("Connection", "upgrade")
    }
}

/// Parses an HTTP head from the start of `buf`: `Ok(None)` until the blank
/// line has arrived, then the head and its length in bytes (what follows
/// is already WebSocket data). Heads longer than `MAX_HEAD` are refused.
pub fn parse_head(buf: &[u8]) -> Result<Option<(Head, usize)>, WsError> {
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        if buf.len() > MAX_HEAD {
            return Err(WsError::Http("head too long"));
        }
        return Ok(None);
    };
    if end + 4 > MAX_HEAD {
        return Err(WsError::Http("head too long"));
    }
    let text = std::str::from_utf8(&buf[..end]).map_err(|_| WsError::Http("not text"))?;
    let mut lines = text.split("\r\n");
    let start_line = lines.next().unwrap_or_default().to_string();
    if start_line.is_empty() || start_line.contains('\n') {
        return Err(WsError::Http("bad start line"));
    }
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or(WsError::Http("header without colon"))?;
        if name.is_empty() || name.contains([' ', '\t', '\n', '\r']) || value.contains('\n') {
            return Err(WsError::Http("bad header"));
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    Ok(Some((
        Head {
            start_line,
            headers,
        },
        end + 4,
    )))
}

/// The client's upgrade request.
pub fn client_request(path: &str, host: &str, key: &str, mechanism: &[u8]) -> String {
    format!(
        "GET {path} HTTP/1.1\r\n\
         Host: {host}\r\n\
         Upgrade: websocket\r\n\
         Connection: Upgrade\r\n\
         Sec-WebSocket-Key: {key}\r\n\
         Sec-WebSocket-Protocol: {}\r\n\
         Sec-WebSocket-Version: 13\r\n\r\n",
        offers(mechanism).join(",")
    )
}

/// Checks the server's answer to our request.
pub fn client_check(head: &Head, key: &str, mechanism: &[u8]) -> Result<Flavour, WsError> {
    let mut parts = head.start_line.split_whitespace();
    if parts.next() != Some("HTTP/1.1") || parts.next() != Some("101") {
        return Err(WsError::Http("not 101 Switching Protocols"));
    }
    if !head.is_upgrade() {
        return Err(WsError::Http("not a websocket upgrade"));
    }
    if head.value("Sec-WebSocket-Accept") != Some(accept_key(key).as_str()) {
        return Err(WsError::Http("bad Sec-WebSocket-Accept"));
    }
    let protocol = head
        .value("Sec-WebSocket-Protocol")
        .ok_or(WsError::Http("no subprotocol"))?;
    if !offers(mechanism).contains(&protocol) {
        return Err(WsError::Http("subprotocol not offered"));
    }
    Ok(flavour_of(protocol))
}

/// A server's verdict on an upgrade request: the response to send and the
/// negotiated flavour.
pub fn server_accept(head: &Head, mechanism: &[u8]) -> Result<(String, Flavour), WsError> {
    let parts: Vec<&str> = head
        .start_line
        .split(' ')
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 || parts[0] != "GET" || parts[2] != "HTTP/1.1" {
        return Err(WsError::Http("not GET ... HTTP/1.1"));
    }
    if !head.is_upgrade() {
        return Err(WsError::Http("not a websocket upgrade"));
    }
    let key = head
        .value("Sec-WebSocket-Key")
        .filter(|k| !k.is_empty())
        .ok_or(WsError::Http("no Sec-WebSocket-Key"))?;
    let ours = offers(mechanism);
    let protocol = head
        .values("Sec-WebSocket-Protocol")
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .find(|p| ours.contains(p))
        .ok_or(WsError::Http("no acceptable subprotocol"))?;
    let response = format!(
        "HTTP/1.1 101 Switching Protocols\r\n\
         Upgrade: websocket\r\n\
         Connection: Upgrade\r\n\
         Sec-WebSocket-Accept: {}\r\n\
         Sec-WebSocket-Protocol: {protocol}\r\n\r\n",
        accept_key(key)
    );
    Ok((response, flavour_of(protocol)))
}

/// The ZMTP 3.1 greeting a peer would have sent: what the session expects
/// before the mechanism's commands.
pub fn synthetic_greeting(mechanism: &[u8], peer_as_server: bool, out: &mut BytesMut) {
    out.put_u8(0xFF);
    out.put_u64(1);
    out.put_u8(0x7F);
    out.put_u8(3);
    out.put_u8(1);
    let mut m = [0u8; 20];
    let n = mechanism.len().min(20);
    m[..n].copy_from_slice(&mechanism[..n]);
    out.extend_from_slice(&m);
    out.put_u8(peer_as_server as u8);
    out.extend_from_slice(&[0u8; 31]);
}

/// Masking keys (RFC 6455 §5.3): unpredictable enough for a proxy cache,
/// not secret.
pub struct MaskGen(u64);

impl MaskGen {
    pub fn new() -> Self {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            h.write_u128(t.as_nanos());
        }
        MaskGen(h.finish() | 1)
    }

    fn next_u64(&mut self) -> u64 {
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
fn xor_into(src: &[u8], key: [u8; 4], start: usize, out: &mut BytesMut) {
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
fn put_frame(
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

fn put_frame_header(
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

fn put_zmtp_header(out: &mut BytesMut, flags: u8, len: u64) {
    if len > 255 {
        out.put_u8(flags | ZMTP_LONG);
        out.put_u64(len);
    } else {
        out.put_u8(flags);
        out.put_u8(len as u8);
    }
}

enum DecState {
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

/// A pseudo-opcode for bare ZWS2.0's routing-id message.
const OP_ROUTING_ID: u8 = 0xF0;

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
                                super::metadata::encode_property(
                                    b"Socket-Type",
                                    peer_type.as_bytes(),
                                    &mut md,
                                );
                                super::metadata::encode_property(b"Identity", &data, &mut md);
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

enum EncState {
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

/// The session's ZMTP 3.1 bytes → WebSocket frames for the peer. Our
/// greeting is swallowed; each frame becomes one message.
pub struct FrameEncoder {
    /// Some when we are the client: every frame is masked.
    mask: Option<MaskGen>,
    /// Greeting bytes still to swallow.
    skip: usize,
    state: EncState,
    /// Bare ZWS2.0: our routing id, sent in place of our READY.
    bare_routing_id: Option<Vec<u8>>,
}

impl FrameEncoder {
    pub fn new(client: bool, bare_routing_id: Option<Vec<u8>>) -> Self {
        FrameEncoder {
            mask: client.then(MaskGen::new),
            skip: super::greeting::V3_GREETING_LEN,
            state: EncState::Header {
                buf: [0; 9],
                have: 0,
            },
            bare_routing_id,
        }
    }

    pub fn encode(&mut self, mut input: &[u8], out: &mut BytesMut) {
        let skip = self.skip.min(input.len());
        self.skip -= skip;
        input = &input[skip..];
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
        let (name, data) = match body.split_first() {
            Some((&n, rest)) if rest.len() >= n as usize => rest.split_at(n as usize),
            _ => (&[][..], body),
        };
        let mask = self.mask.as_mut();
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
            b"READY" if self.bare_routing_id.is_some() => {
                let rid = self.bare_routing_id.take().unwrap_or_default();
                put_frame(out, OP_BINARY, Some(0), &rid, mask);
            }
            _ => put_frame(out, OP_BINARY, Some(WS_COMMAND), body, mask),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zmtp::codec::encode_header;

    #[test]
    fn accept_key_matches_rfc_6455_example() {
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    fn request(protocols: &str) -> Vec<u8> {
        format!(
            "GET /x HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: {protocols}\r\n\r\nrest"
        )
        .into_bytes()
    }

    #[test]
    fn head_waits_for_the_blank_line_in_split_reads() {
        let r = request("ZWS2.0/NULL");
        for cut in 0..r.len() - 4 {
            assert_eq!(parse_head(&r[..cut]).unwrap(), None, "cut {cut}");
        }
        let (head, used) = parse_head(&r).unwrap().unwrap();
        assert_eq!(&r[used..], b"rest");
        assert_eq!(head.start_line, "GET /x HTTP/1.1");
    }

    #[test]
    fn server_picks_the_first_offer_it_supports() {
        let (h, _) = parse_head(&request("ZWS2.0/NULL, ZWS2.0"))
            .unwrap()
            .unwrap();
        let (resp, fl) = server_accept(&h, b"NULL").unwrap();
        assert_eq!(fl, Flavour::Mechanism);
        assert!(resp.contains("Sec-WebSocket-Protocol: ZWS2.0/NULL\r\n"));
        assert!(resp.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        let (h, _) = parse_head(&request("ZWS2.0")).unwrap().unwrap();
        assert_eq!(server_accept(&h, b"NULL").unwrap().1, Flavour::Bare);
        assert!(server_accept(&h, b"PLAIN").is_err());
    }

    #[test]
    fn malformed_heads_are_errors() {
        assert!(parse_head(b"GET / HTTP/1.1\r\nno colon here\r\n\r\n").is_err());
        assert!(parse_head(&vec![b'a'; MAX_HEAD + 1]).is_err());
        assert!(parse_head(b"\xff\xfe\r\n\r\n").is_err());
        let (h, _) = parse_head(b"POST / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n")
            .unwrap()
            .unwrap();
        assert!(server_accept(&h, b"NULL").is_err());
        let (h, _) = parse_head(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap()
            .unwrap();
        assert!(server_accept(&h, b"NULL").is_err());
    }

    #[test]
    fn client_checks_the_accept_key_and_subprotocol() {
        let mut g = MaskGen::new();
        let key = new_key(&mut g);
        let req = client_request("/p", "127.0.0.1", &key, b"NULL");
        let (h, _) = parse_head(req.as_bytes()).unwrap().unwrap();
        let (resp, _) = server_accept(&h, b"NULL").unwrap();
        let (rh, _) = parse_head(resp.as_bytes()).unwrap().unwrap();
        assert_eq!(
            client_check(&rh, &key, b"NULL").unwrap(),
            Flavour::Mechanism
        );
        assert!(client_check(&rh, "otherkey", b"NULL").is_err());
        assert!(client_check(&rh, &key, b"PLAIN").is_err());
    }

    fn zmtp_frames(frames: &[(u8, &[u8])]) -> BytesMut {
        let mut z = BytesMut::new();
        synthetic_greeting(b"NULL", false, &mut z);
        for (f, body) in frames {
            if f & ZMTP_COMMAND != 0 {
                encode_command(Version::V3_1, b"READY", body, &mut z);
            } else {
                encode_header(Version::V3_1, f & ZMTP_MORE != 0, false, body.len(), &mut z);
                z.extend_from_slice(body);
            }
        }
        z
    }

    /// Encodes with `client` masking, byte splits of `step`, then decodes
    /// the result on the other side with splits of `step`.
    fn round_trip(client: bool, step: usize, frames: &[(u8, &[u8])]) -> BytesMut {
        let z = zmtp_frames(frames);
        let mut enc = FrameEncoder::new(client, None);
        let mut wire = BytesMut::new();
        for c in z.chunks(step) {
            enc.encode(c, &mut wire);
        }
        let mut dec = FrameDecoder::new(client, -1, None);
        let mut out = BytesMut::new();
        let mut input = BytesMut::new();
        for c in wire.chunks(step) {
            input.extend_from_slice(c);
            assert!(!dec.decode(&mut input, &mut out).unwrap());
        }
        assert!(input.is_empty());
        out
    }

    #[test]
    fn frames_survive_masking_and_split_reads() {
        let big = vec![7u8; 70_000];
        let frames: Vec<(u8, &[u8])> = vec![
            (ZMTP_COMMAND, b"\x0bSocket-Type\x00\x00\x00\x04PAIR"),
            (ZMTP_MORE, b"a"),
            (0, &big),
            (0, b""),
            (0, &big[..300]),
        ];
        let want = zmtp_frames(&frames).split_off(64);
        for client in [false, true] {
            for step in [1, 3, 7, 1000, 1 << 20] {
                assert_eq!(round_trip(client, step, &frames), want, "{client} {step}");
            }
        }
    }

    #[test]
    fn wire_bytes_match_libzmq() {
        // Server side, unmasked: READY is a binary message with flag 2.
        let mut z = BytesMut::new();
        synthetic_greeting(b"NULL", false, &mut z);
        encode_command(
            Version::V3_1,
            b"READY",
            b"\x0bSocket-Type\x00\x00\x00\x04PAIR",
            &mut z,
        );
        let mut enc = FrameEncoder::new(false, None);
        let mut wire = BytesMut::new();
        enc.encode(&z, &mut wire);
        assert_eq!(
            &wire[..],
            b"\x82\x1b\x02\x05READY\x0bSocket-Type\x00\x00\x00\x04PAIR"
        );
    }

    #[test]
    fn heartbeats_and_subscriptions_are_translated() {
        let mut z = BytesMut::new();
        encode_ping(Version::V3_1, 10, b"", &mut z);
        encode_command(Version::V3_1, b"SUBSCRIBE", b"A", &mut z);
        let mut enc = FrameEncoder::new(false, None);
        enc.skip = 0;
        let mut wire = BytesMut::new();
        enc.encode(&z, &mut wire);
        assert_eq!(&wire[..], b"\x89\x00\x82\x03\x00\x01A");
        // A ping from the peer reaches the session as a ZMTP PING.
        let mut dec = FrameDecoder::new(false, -1, None);
        let mut out = BytesMut::new();
        let mut input = BytesMut::from(&b"\x89\x02hi\x88\x00"[..]);
        assert!(dec.decode(&mut input, &mut out).unwrap());
        let mut want = BytesMut::new();
        encode_ping(Version::V3_1, 0, b"hi", &mut want);
        assert_eq!(out, want);
    }

    #[test]
    fn bare_flavour_swaps_ready_for_routing_ids() {
        let mut z = BytesMut::new();
        synthetic_greeting(b"NULL", false, &mut z);
        encode_command(
            Version::V3_1,
            b"READY",
            b"\x0bSocket-Type\x00\x00\x00\x03REQ",
            &mut z,
        );
        let mut enc = FrameEncoder::new(false, Some(b"me".to_vec()));
        let mut wire = BytesMut::new();
        enc.encode(&z, &mut wire);
        assert_eq!(&wire[..], b"\x82\x03\x00me");
        let mut dec = FrameDecoder::new(false, -1, Some("REP"));
        let mut out = BytesMut::new();
        let mut input = BytesMut::from(&b"\x82\x01\x00"[..]);
        dec.decode(&mut input, &mut out).unwrap();
        let mut md = BytesMut::new();
        crate::zmtp::metadata::encode_property(b"Socket-Type", b"REP", &mut md);
        crate::zmtp::metadata::encode_property(b"Identity", b"", &mut md);
        let mut want = BytesMut::new();
        encode_command(Version::V3_1, b"READY", &md, &mut want);
        assert_eq!(out, want);
    }

    #[test]
    fn bad_frames_are_errors_not_panics() {
        let cases: &[(&[u8], bool)] = &[
            (b"\x02\x01\x00", false),                 // not final
            (b"\x81\x01a", false),                    // text
            (b"\x82\x00", false),                     // empty binary
            (b"\x82\x81\x00\x00\x00\x00\x00", false), // masked to a client
            (b"\x82\x01\x00", true),                  // unmasked to a server
            (b"\x89\x7e\x00\x80", false),             // long control frame
            (b"\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x00\x00", false),
        ];
        for (bytes, server) in cases {
            let mut dec = FrameDecoder::new(*server, -1, None);
            let mut input = BytesMut::from(*bytes);
            assert!(
                dec.decode(&mut input, &mut BytesMut::new()).is_err(),
                "{bytes:?}"
            );
        }
        let mut dec = FrameDecoder::new(false, 10, None);
        let mut input = BytesMut::from(&b"\x82\x0c\x00hello world"[..]);
        assert_eq!(
            dec.decode(&mut input, &mut BytesMut::new()),
            Err(WsError::TooLarge)
        );
    }

    /// A masked (client→server) binary frame header announcing `len`
    /// payload octets, the key, and the flags octet masked.
    fn masked_binary_header(len: u64, flags: u8) -> Vec<u8> {
        let key = [1u8, 2, 3, 4];
        let mut h = vec![0x82, 0x80 | 127];
        h.extend_from_slice(&len.to_be_bytes());
        h.extend_from_slice(&key);
        h.push(flags ^ key[0]);
        h
    }

    #[test]
    fn announced_payload_lengths_are_streamed_not_allocated() {
        // A payload of 2^62 octets: the decoder turns the header into a
        // ZMTP long header (the session's reader bounds what it allocates)
        // and streams the octets that did arrive; nothing is sized from
        // the announcement here.
        for len in [1u64 << 40, 1 << 62, (1 << 63) - 1] {
            let mut dec = FrameDecoder::new(true, -1, None);
            let mut input = BytesMut::from(&masked_binary_header(len, WS_MORE)[..]);
            input.extend_from_slice(&[0x11; 100]);
            let mut out = BytesMut::new();
            assert_eq!(dec.decode(&mut input, &mut out), Ok(false));
            assert!(input.is_empty());
            let mut want = vec![ZMTP_MORE | ZMTP_LONG];
            want.extend_from_slice(&(len - 1).to_be_bytes());
            assert_eq!(&out[..9], &want[..]);
            assert_eq!(out.len(), 9 + 100);
            assert!(out.capacity() < 1 << 20);
        }
        // Lengths with the top bit set are not lengths (RFC 6455 §5.2).
        let mut dec = FrameDecoder::new(true, -1, None);
        let mut input = BytesMut::from(&masked_binary_header(1 << 63, 0)[..]);
        assert!(dec.decode(&mut input, &mut BytesMut::new()).is_err());
        // ZMQ_MAXMSGSIZE: refused on the header, before any payload.
        let mut dec = FrameDecoder::new(true, 1 << 20, None);
        let mut input = BytesMut::from(&masked_binary_header(1 << 62, 0)[..]);
        assert_eq!(
            dec.decode(&mut input, &mut BytesMut::new()),
            Err(WsError::TooLarge)
        );
        // Bare ZWS2.0: a routing id over 255 octets is refused on the
        // header (it is the one message gathered whole).
        let mut dec = FrameDecoder::new(true, -1, Some("DEALER"));
        let mut input = BytesMut::from(&masked_binary_header(1 << 62, 0)[..]);
        assert!(dec.decode(&mut input, &mut BytesMut::new()).is_err());
        let mut dec = FrameDecoder::new(true, -1, Some("DEALER"));
        let mut input = BytesMut::from(&masked_binary_header(257, 0)[..]);
        assert!(dec.decode(&mut input, &mut BytesMut::new()).is_err());
        // Control frames carry at most 125 octets, whatever they announce.
        for len in [126u64, 1 << 62] {
            let mut h = vec![0x89, 0x80 | 127];
            h.extend_from_slice(&len.to_be_bytes());
            h.extend_from_slice(&[0; 4]);
            let mut dec = FrameDecoder::new(true, -1, None);
            let mut input = BytesMut::from(&h[..]);
            assert!(dec.decode(&mut input, &mut BytesMut::new()).is_err());
        }
    }

    #[test]
    fn http_header_floods_are_refused_at_max_head() {
        // A head that never ends: refused once longer than MAX_HEAD, however
        // it is split (one endless header line, or endless short headers).
        let mut endless_line = b"GET / HTTP/1.1\r\nX-Flood: ".to_vec();
        endless_line.resize(MAX_HEAD + 1, b'a');
        assert!(parse_head(&endless_line).is_err());
        assert_eq!(parse_head(&endless_line[..MAX_HEAD]), Ok(None));
        let mut many = b"GET / HTTP/1.1\r\n".to_vec();
        while many.len() <= MAX_HEAD {
            many.extend_from_slice(b"X-A: b\r\n");
        }
        assert!(parse_head(&many).is_err());
        // A complete head longer than MAX_HEAD is refused too.
        many.extend_from_slice(b"\r\n");
        assert!(parse_head(&many).is_err());
    }

    #[test]
    fn masking_matches_the_bytewise_definition() {
        let key = [0x12, 0x34, 0x56, 0x78];
        let src: Vec<u8> = (0..37u8).collect();
        for start in 0..8 {
            let mut out = BytesMut::from(&b"pre"[..]);
            xor_into(&src, key, start, &mut out);
            let want: Vec<u8> = src
                .iter()
                .enumerate()
                .map(|(i, b)| b ^ key[(start + i) % 4])
                .collect();
            assert_eq!(&out[..3], b"pre");
            assert_eq!(&out[3..], &want[..], "start {start}");
        }
    }

    #[test]
    fn random_bytes_never_panic_the_decoder() {
        let mut g = MaskGen::new();
        for _ in 0..2000 {
            let n = (g.next_u64() % 64) as usize;
            let bytes: Vec<u8> = (0..n).map(|_| g.next_u64() as u8).collect();
            for server in [false, true] {
                let mut dec = FrameDecoder::new(server, 100, Some("PAIR"));
                let _ = dec.decode(&mut BytesMut::from(&bytes[..]), &mut BytesMut::new());
                let _ = parse_head(&bytes);
            }
        }
    }
}
