//! The HTTP/1.1 upgrade of ZWS 2.0 (RFC 45, RFC 6455 §4): request, answer,
//! their checks, and the subprotocol that stands in for the ZMTP greeting.

use super::*;

/// RFC 6455 §1.3: appended to the key before hashing.
pub(super) const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/// The largest HTTP head we read before giving up on a peer.
pub const MAX_HEAD: usize = 8192;

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
pub(super) fn offers(mechanism: &[u8]) -> &'static [&'static str] {
    match mechanism {
        b"PLAIN" => &["ZWS2.0/PLAIN"],
        b"CURVE" => &["ZWS2.0/CURVE"],
        _ => &["ZWS2.0/NULL", "ZWS2.0"],
    }
}

pub(super) fn flavour_of(protocol: &str) -> Flavour {
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
