//! The CURVE mechanism (RFC 26, over CurveZMQ RFC 25): HELLO, WELCOME,
//! INITIATE, READY with NaCl boxes, then every traffic frame sealed in a
//! MESSAGE command.
//!
//! The boxes are curve25519-xsalsa20poly1305 (`crypto_box`) and the cookie
//! xsalsa20poly1305 (`crypto_secretbox`), the RustCrypto implementations of
//! what libsodium calls by the same names; nothing here does arithmetic of
//! its own. A box on the wire is NaCl's: the 16-byte MAC, then the
//! ciphertext.
//!
//! Checks, error codes and nonces follow libzmq 4.3.5's `curve_client_t`,
//! `curve_server_t` and `curve_encoding_t`: the client's nonces start at 1
//! (HELLO 1, INITIATE 2, messages from 3), the server's at 1 (READY, then
//! messages from 2); a MESSAGE whose nonce does not exceed the last one
//! seen is `INVALID_SEQUENCE`; a box that does not open is `CRYPTOGRAPHIC`.
//! The cookie key is fresh for every WELCOME (one per connection) and
//! forgotten with the mechanism. The server asks ZAP with the client's
//! long-term public key as the only credential; without a handler it
//! accepts the client (the "Stonehouse" pattern) unless
//! `ZMQ_ZAP_ENFORCE_DOMAIN` is set with a domain.
//!
//! Every parser here takes any bytes: a short, long or forged command is an
//! error, never a panic.

use bytes::{Buf, BufMut, Bytes, BytesMut};
use crypto_box::aead::rand_core::RngCore;
use crypto_box::aead::{AeadInPlace, KeyInit, OsRng};
use crypto_box::{PublicKey, SalsaBox, SecretKey};
use crypto_secretbox::XSalsa20Poly1305;

use super::{Mechanism, Shared};
use crate::zmtp::codec::{encode_header, Version};
use crate::zmtp::command::parse_error_reason;
use crate::zmtp::error::{code, HandshakeError};
use crate::zmtp::zap::ZapReply;

const MAC: usize = 16;
/// Flags carried in the first plaintext byte of a MESSAGE box.
pub const FLAG_MORE: u8 = 0x01;
pub const FLAG_COMMAND: u8 = 0x02;

const HELLO_LEN: usize = 200;
const WELCOME_LEN: usize = 168;
/// "\x08INITIATE", cookie (96), short nonce (8), box of at least C (32),
/// vouch nonce (16), vouch box (80) and its MAC (16).
const INITIATE_MIN: usize = 257;
const READY_MIN: usize = 30;
/// "\x07MESSAGE", short nonce, MAC and the flags byte.
const MESSAGE_MIN: usize = 8 + 8 + MAC + 1;

fn protocol(c: u32) -> HandshakeError {
    HandshakeError::Protocol(c)
}

fn nonce24(prefix: &[u8], tail: &[u8]) -> [u8; 24] {
    let mut n = [0u8; 24];
    n[..prefix.len()].copy_from_slice(prefix);
    n[prefix.len()..].copy_from_slice(tail);
    n
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    OsRng.fill_bytes(&mut b);
    b
}

/// Seals `plain` into NaCl's layout (MAC then ciphertext).
fn seal<A: AeadInPlace>(cipher: &A, nonce: &[u8; 24], plain: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(MAC + plain.len());
    v.extend_from_slice(&[0u8; MAC]);
    v.extend_from_slice(plain);
    let nonce = crypto_box::aead::Nonce::<A>::from_slice(nonce);
    // Only inputs near 2^38 bytes can fail; handshake boxes are small.
    if let Ok(tag) = cipher.encrypt_in_place_detached(nonce, b"", &mut v[MAC..]) {
        v[..MAC].copy_from_slice(&tag);
    }
    v
}

/// Opens a NaCl box (MAC then ciphertext); None when it does not open.
fn open<A: AeadInPlace>(cipher: &A, nonce: &[u8; 24], boxed: &[u8]) -> Option<Vec<u8>> {
    if boxed.len() < MAC {
        return None;
    }
    let mut plain = boxed[MAC..].to_vec();
    let nonce = crypto_box::aead::Nonce::<A>::from_slice(nonce);
    let tag = crypto_box::aead::Tag::<A>::from_slice(&boxed[..MAC]);
    cipher
        .decrypt_in_place_detached(nonce, b"", &mut plain, tag)
        .ok()?;
    Some(plain)
}

fn salsa_box(public: &[u8; 32], secret: &[u8; 32]) -> SalsaBox {
    SalsaBox::new(&PublicKey::from(*public), &SecretKey::from(*secret))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_be_bytes(x)
}

/// A new short-term (or long-term) key pair: (public, secret).
pub fn keypair() -> ([u8; 32], [u8; 32]) {
    let sk = SecretKey::generate(&mut OsRng);
    (sk.public_key().to_bytes(), sk.to_bytes())
}

/// The public key of a secret key (`zmq_curve_public`).
pub fn public_of(secret: &[u8; 32]) -> [u8; 32] {
    SecretKey::from(*secret).public_key().to_bytes()
}

/// Seals our outgoing traffic frames.
pub struct CurveTx {
    cipher: SalsaBox,
    prefix: &'static [u8; 16],
    nonce: u64,
    version: Version,
}

impl CurveTx {
    /// Appends one frame carrying MESSAGE: the flags byte and `body`, boxed.
    /// libzmq sends it as a plain (non-command, single-part) frame; MORE
    /// and COMMAND travel inside the box.
    pub fn seal(&mut self, flags: u8, body: &[u8], out: &mut BytesMut) {
        let n = self.nonce;
        self.nonce += 1;
        let len = MESSAGE_MIN + body.len();
        out.reserve(9 + len);
        encode_header(self.version, false, false, len, out);
        out.put_slice(b"\x07MESSAGE");
        out.put_u64(n);
        let tag_at = out.len();
        out.put_slice(&[0u8; MAC]);
        let start = out.len();
        out.put_u8(flags);
        out.put_slice(body);
        let nonce = crypto_box::Nonce::from(nonce24(self.prefix, &n.to_be_bytes()));
        // Only inputs near 2^38 bytes can fail, far past any frame size a
        // 64-bit length and the message size limits allow here.
        if let Ok(tag) = self
            .cipher
            .encrypt_in_place_detached(&nonce, b"", &mut out[start..])
        {
            out[tag_at..tag_at + MAC].copy_from_slice(&tag);
        }
    }

    /// Seals a subscription: a SUBSCRIBE/CANCEL command for 3.1 peers, the
    /// 0x01/0x00-prefixed message for 3.0 ones (libzmq `downgrade_sub`).
    pub fn seal_subscription(&mut self, subscribe: bool, topic: &[u8], out: &mut BytesMut) {
        let mut body = Vec::with_capacity(10 + topic.len());
        let flags = if self.version == Version::V3_1 {
            body.extend_from_slice(if subscribe {
                b"\x09SUBSCRIBE"
            } else {
                b"\x06CANCEL"
            });
            FLAG_COMMAND
        } else {
            body.push(u8::from(subscribe));
            0
        };
        body.extend_from_slice(topic);
        self.seal(flags, &body, out);
    }
}

/// Opens the peer's traffic frames.
pub struct CurveRx {
    cipher: SalsaBox,
    prefix: &'static [u8; 16],
    peer_nonce: u64,
}

impl CurveRx {
    /// Opens one MESSAGE: its flags byte (`FLAG_MORE`, `FLAG_COMMAND`) and
    /// body. Errors are the `ZMQ_PROTOCOL_ERROR_*` libzmq reports; the
    /// connection must then close.
    pub fn open(&mut self, body: &[u8]) -> Result<(u8, Bytes), u32> {
        // libzmq `check_basic_command_structure`.
        if body.len() <= 1 || body.len() <= usize::from(body[0]) {
            return Err(code::ZMTP_MALFORMED_COMMAND_UNSPECIFIED);
        }
        if !body.starts_with(b"\x07MESSAGE") {
            return Err(code::ZMTP_UNEXPECTED_COMMAND);
        }
        if body.len() < MESSAGE_MIN {
            return Err(code::ZMTP_MALFORMED_COMMAND_MESSAGE);
        }
        let n = u64_at(body, 8);
        if n <= self.peer_nonce {
            return Err(code::ZMTP_INVALID_SEQUENCE);
        }
        self.peer_nonce = n;
        let nonce = crypto_box::Nonce::from(nonce24(self.prefix, &body[8..16]));
        let tag = crypto_box::aead::Tag::<SalsaBox>::from_slice(&body[16..32]);
        let mut plain = BytesMut::from(&body[32..]);
        self.cipher
            .decrypt_in_place_detached(&nonce, b"", &mut plain, tag)
            .map_err(|_| code::ZMTP_CRYPTOGRAPHIC)?;
        let flags = plain[0] & (FLAG_MORE | FLAG_COMMAND);
        plain.advance(1);
        Ok((flags, plain.freeze()))
    }
}

/// Both directions of an established CURVE connection. The halves are
/// independent: the write pump owns one, the read pump the other.
pub struct CurveCipher {
    pub tx: CurveTx,
    pub rx: CurveRx,
}

impl std::fmt::Debug for CurveCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CurveCipher { .. }")
    }
}

// ------------------------------------------------------------------ client

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientState {
    SendHello,
    ExpectWelcome,
    ExpectReady,
    Connected,
}

/// CURVE client.
pub(crate) struct CurveClient {
    public_key: [u8; 32],
    secret_key: [u8; 32],
    server_key: [u8; 32],
    cn_public: [u8; 32],
    cn_secret: [u8; 32],
    nonce: u64,
    peer_nonce: u64,
    /// S' and c' once WELCOME told us S': the connection's box.
    precom: Option<([u8; 32], [u8; 32])>,
    state: ClientState,
}

impl CurveClient {
    pub(crate) fn new(public_key: [u8; 32], secret_key: [u8; 32], server_key: [u8; 32]) -> Self {
        let (cn_public, cn_secret) = keypair();
        CurveClient {
            public_key,
            secret_key,
            server_key,
            cn_public,
            cn_secret,
            nonce: 1,
            peer_nonce: 1,
            precom: None,
            state: ClientState::SendHello,
        }
    }

    fn next_nonce(&mut self) -> u64 {
        let n = self.nonce;
        self.nonce += 1;
        n
    }

    fn hello(&mut self, s: &mut Shared) {
        let n = self.next_nonce().to_be_bytes();
        let b = salsa_box(&self.server_key, &self.cn_secret);
        let signature = seal(&b, &nonce24(b"CurveZMQHELLO---", &n), &[0u8; 64]);
        let mut data = Vec::with_capacity(HELLO_LEN - 6);
        // CurveZMQ version 1.0, then 72 octets of anti-amplification
        // padding (RFC 26 §HELLO).
        data.extend_from_slice(&[1, 0]);
        data.extend_from_slice(&[0u8; 72]);
        data.extend_from_slice(&self.cn_public);
        data.extend_from_slice(&n);
        data.extend_from_slice(&signature);
        s.send_command(b"HELLO", &data);
    }

    fn welcome(&mut self, body: &[u8], s: &mut Shared) -> Result<(), HandshakeError> {
        if body.len() != WELCOME_LEN {
            return Err(protocol(code::ZMTP_CRYPTOGRAPHIC));
        }
        let b = salsa_box(&self.server_key, &self.cn_secret);
        let plain = open(&b, &nonce24(b"WELCOME-", &body[8..24]), &body[24..])
            .ok_or(protocol(code::ZMTP_CRYPTOGRAPHIC))?;
        let mut cn_server = [0u8; 32];
        cn_server.copy_from_slice(&plain[..32]);
        let cookie = &plain[32..128];
        let precom = salsa_box(&cn_server, &self.cn_secret);
        // vouch = Box [C' + S](C → S'), under a random "VOUCH---" nonce.
        let vouch_nonce: [u8; 16] = random();
        let mut vouch_plain = [0u8; 64];
        vouch_plain[..32].copy_from_slice(&self.cn_public);
        vouch_plain[32..].copy_from_slice(&self.server_key);
        let vouch = seal(
            &salsa_box(&cn_server, &self.secret_key),
            &nonce24(b"VOUCH---", &vouch_nonce),
            &vouch_plain,
        );
        let mut inner = BytesMut::with_capacity(128 + s.basic_properties_len());
        inner.put_slice(&self.public_key);
        inner.put_slice(&vouch_nonce);
        inner.put_slice(&vouch);
        s.write_basic_properties(&mut inner);
        let n = self.next_nonce().to_be_bytes();
        let boxed = seal(&precom, &nonce24(b"CurveZMQINITIATE", &n), &inner);
        let mut data = Vec::with_capacity(96 + 8 + boxed.len());
        data.extend_from_slice(cookie);
        data.extend_from_slice(&n);
        data.extend_from_slice(&boxed);
        s.send_command(b"INITIATE", &data);
        self.precom = Some((cn_server, self.cn_secret));
        self.state = ClientState::ExpectReady;
        Ok(())
    }

    fn ready(&mut self, body: &[u8], s: &mut Shared) -> Result<(), HandshakeError> {
        if body.len() < READY_MIN {
            return Err(protocol(code::ZMTP_MALFORMED_COMMAND_READY));
        }
        let Some((cn_server, cn_secret)) = &self.precom else {
            return Err(protocol(code::ZMTP_UNEXPECTED_COMMAND));
        };
        self.peer_nonce = u64_at(body, 6);
        let plain = open(
            &salsa_box(cn_server, cn_secret),
            &nonce24(b"CurveZMQREADY---", &body[6..14]),
            &body[14..],
        )
        .ok_or(protocol(code::ZMTP_CRYPTOGRAPHIC))?;
        s.accept_metadata(&Bytes::from(plain), true)?;
        self.state = ClientState::Connected;
        Ok(())
    }
}

impl Mechanism for CurveClient {
    fn start(&mut self, s: &mut Shared) -> Result<(), HandshakeError> {
        self.hello(s);
        self.state = ClientState::ExpectWelcome;
        Ok(())
    }

    fn process_command(&mut self, body: Bytes, s: &mut Shared) -> Result<(), HandshakeError> {
        // libzmq matches the command by prefix, then checks the size.
        if body.starts_with(b"\x07WELCOME") && self.state == ClientState::ExpectWelcome {
            self.welcome(&body, s)
        } else if body.starts_with(b"\x05READY") && self.state == ClientState::ExpectReady {
            self.ready(&body, s)
        } else if body.starts_with(b"\x05ERROR") {
            if !matches!(
                self.state,
                ClientState::ExpectWelcome | ClientState::ExpectReady
            ) {
                return Err(protocol(code::ZMTP_UNEXPECTED_COMMAND));
            }
            let reason = parse_error_reason(&body.slice(6..)).map_err(HandshakeError::Protocol)?;
            Err(HandshakeError::PeerError { reason })
        } else {
            Err(protocol(code::ZMTP_UNEXPECTED_COMMAND))
        }
    }

    fn zap_reply(&mut self, _reply: ZapReply, _s: &mut Shared) -> Result<(), HandshakeError> {
        Err(HandshakeError::InvalidState)
    }

    fn is_ready(&self) -> bool {
        self.state == ClientState::Connected
    }

    fn awaits_command(&self) -> bool {
        matches!(
            self.state,
            ClientState::ExpectWelcome | ClientState::ExpectReady
        )
    }

    fn take_cipher(&mut self) -> Option<CurveCipher> {
        if self.state != ClientState::Connected {
            return None;
        }
        let (peer, ours) = self.precom.take()?;
        Some(CurveCipher {
            tx: CurveTx {
                cipher: salsa_box(&peer, &ours),
                prefix: b"CurveZMQMESSAGEC",
                nonce: self.nonce,
                version: Version::V3_1,
            },
            rx: CurveRx {
                cipher: salsa_box(&peer, &ours),
                prefix: b"CurveZMQMESSAGES",
                peer_nonce: self.peer_nonce,
            },
        })
    }
}

// ------------------------------------------------------------------ server

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ServerState {
    WaitingHello,
    WaitingInitiate,
    WaitingZap,
    Ready,
}

/// CURVE server.
pub(crate) struct CurveServer {
    secret_key: [u8; 32],
    cn_public: [u8; 32],
    cn_secret: [u8; 32],
    cn_client: [u8; 32],
    cookie_key: [u8; 32],
    nonce: u64,
    peer_nonce: u64,
    /// C' and s' once INITIATE checked out: the connection's box.
    precom: Option<([u8; 32], [u8; 32])>,
    state: ServerState,
}

impl CurveServer {
    pub(crate) fn new(secret_key: [u8; 32]) -> Self {
        let (cn_public, cn_secret) = keypair();
        CurveServer {
            secret_key,
            cn_public,
            cn_secret,
            cn_client: [0; 32],
            cookie_key: [0; 32],
            nonce: 1,
            peer_nonce: 1,
            precom: None,
            state: ServerState::WaitingHello,
        }
    }

    fn hello(&mut self, body: &[u8], s: &mut Shared) -> Result<(), HandshakeError> {
        if !body.starts_with(b"\x05HELLO") {
            return Err(protocol(code::ZMTP_UNEXPECTED_COMMAND));
        }
        if body.len() != HELLO_LEN || body[6] != 1 || body[7] != 0 {
            return Err(protocol(code::ZMTP_MALFORMED_COMMAND_HELLO));
        }
        self.cn_client.copy_from_slice(&body[80..112]);
        self.peer_nonce = u64_at(body, 112);
        let b = salsa_box(&self.cn_client, &self.secret_key);
        // The signature box must open; its 64 zero octets are not checked,
        // as in libzmq.
        open(
            &b,
            &nonce24(b"CurveZMQHELLO---", &body[112..120]),
            &body[120..],
        )
        .ok_or(protocol(code::ZMTP_CRYPTOGRAPHIC))?;

        // cookie = Box [C' + s'](t), t a fresh key for this connection.
        self.cookie_key = random();
        let cookie_nonce: [u8; 16] = random();
        let mut cookie_plain = [0u8; 64];
        cookie_plain[..32].copy_from_slice(&self.cn_client);
        cookie_plain[32..].copy_from_slice(&self.cn_secret);
        let cookie = seal(
            &XSalsa20Poly1305::new(&self.cookie_key.into()),
            &nonce24(b"COOKIE--", &cookie_nonce),
            &cookie_plain,
        );
        let mut inner = Vec::with_capacity(128);
        inner.extend_from_slice(&self.cn_public);
        inner.extend_from_slice(&cookie_nonce);
        inner.extend_from_slice(&cookie);
        let welcome_nonce: [u8; 16] = random();
        let boxed = seal(&b, &nonce24(b"WELCOME-", &welcome_nonce), &inner);
        let mut data = Vec::with_capacity(WELCOME_LEN - 8);
        data.extend_from_slice(&welcome_nonce);
        data.extend_from_slice(&boxed);
        s.send_command(b"WELCOME", &data);
        self.state = ServerState::WaitingInitiate;
        Ok(())
    }

    fn initiate(&mut self, body: &[u8], s: &mut Shared) -> Result<(), HandshakeError> {
        if !body.starts_with(b"\x08INITIATE") {
            return Err(protocol(code::ZMTP_UNEXPECTED_COMMAND));
        }
        if body.len() < INITIATE_MIN {
            return Err(protocol(code::ZMTP_MALFORMED_COMMAND_INITIATE));
        }
        let crypto = protocol(code::ZMTP_CRYPTOGRAPHIC);
        let cookie = open(
            &XSalsa20Poly1305::new(&self.cookie_key.into()),
            &nonce24(b"COOKIE--", &body[9..25]),
            &body[25..105],
        )
        .ok_or(crypto.clone())?;
        if cookie[..32] != self.cn_client || cookie[32..64] != self.cn_secret {
            return Err(crypto);
        }
        self.peer_nonce = u64_at(body, 105);
        let precom = salsa_box(&self.cn_client, &self.cn_secret);
        let plain = open(
            &precom,
            &nonce24(b"CurveZMQINITIATE", &body[105..113]),
            &body[113..],
        )
        .ok_or(crypto.clone())?;
        let mut client_key = [0u8; 32];
        client_key.copy_from_slice(&plain[..32]);
        let vouch = open(
            &salsa_box(&client_key, &self.cn_secret),
            &nonce24(b"VOUCH---", &plain[32..48]),
            &plain[48..128],
        )
        .ok_or(crypto)?;
        if vouch[..32] != self.cn_client {
            return Err(protocol(code::ZMTP_KEY_EXCHANGE));
        }
        self.precom = Some((self.cn_client, self.cn_secret));
        // libzmq `curve_server_t::process_initiate`: ZAP is asked unless
        // the domain is enforced and empty; a missing handler then decides
        // (see `zap_reply`).
        if !s.zap_domain.is_empty() || !s.zap_enforce_domain {
            s.request_zap(b"CURVE", vec![Bytes::copy_from_slice(&client_key)]);
            self.state = ServerState::WaitingZap;
        }
        s.accept_metadata(&Bytes::copy_from_slice(&plain[128..]), false)?;
        if self.state != ServerState::WaitingZap {
            self.send_ready(s);
        }
        Ok(())
    }

    fn send_ready(&mut self, s: &mut Shared) {
        let mut meta = BytesMut::with_capacity(s.basic_properties_len());
        s.write_basic_properties(&mut meta);
        let n = self.nonce.to_be_bytes();
        self.nonce += 1;
        let Some((cn_client, cn_secret)) = &self.precom else {
            return;
        };
        let boxed = seal(
            &salsa_box(cn_client, cn_secret),
            &nonce24(b"CurveZMQREADY---", &n),
            &meta,
        );
        let mut data = Vec::with_capacity(8 + boxed.len());
        data.extend_from_slice(&n);
        data.extend_from_slice(&boxed);
        s.send_command(b"READY", &data);
        self.state = ServerState::Ready;
    }
}

impl Mechanism for CurveServer {
    fn start(&mut self, _s: &mut Shared) -> Result<(), HandshakeError> {
        Ok(())
    }

    fn process_command(&mut self, body: Bytes, s: &mut Shared) -> Result<(), HandshakeError> {
        match self.state {
            ServerState::WaitingHello | ServerState::WaitingInitiate => {
                // libzmq `check_basic_command_structure`.
                if body.len() <= 1 || body.len() <= usize::from(body[0]) {
                    return Err(protocol(code::ZMTP_MALFORMED_COMMAND_UNSPECIFIED));
                }
                if self.state == ServerState::WaitingHello {
                    self.hello(&body, s)
                } else {
                    self.initiate(&body, s)
                }
            }
            ServerState::WaitingZap | ServerState::Ready => Err(protocol(code::ZMTP_UNSPECIFIED)),
        }
    }

    fn zap_reply(&mut self, reply: ZapReply, s: &mut Shared) -> Result<(), HandshakeError> {
        if self.state != ServerState::WaitingZap {
            return Err(HandshakeError::InvalidState);
        }
        match reply {
            ZapReply::NoHandler if s.zap_enforce_domain => {
                return Err(HandshakeError::NoZapHandler)
            }
            ZapReply::NoHandler => {}
            ZapReply::Frames(frames) => s.judge_zap(&frames)?,
        }
        self.send_ready(s);
        Ok(())
    }

    fn is_ready(&self) -> bool {
        self.state == ServerState::Ready
    }

    fn awaits_command(&self) -> bool {
        matches!(
            self.state,
            ServerState::WaitingHello | ServerState::WaitingInitiate | ServerState::WaitingZap
        )
    }

    fn take_cipher(&mut self) -> Option<CurveCipher> {
        if self.state != ServerState::Ready {
            return None;
        }
        let (peer, ours) = self.precom.take()?;
        Some(CurveCipher {
            tx: CurveTx {
                cipher: salsa_box(&peer, &ours),
                prefix: b"CurveZMQMESSAGES",
                nonce: self.nonce,
                version: Version::V3_1,
            },
            rx: CurveRx {
                cipher: salsa_box(&peer, &ours),
                prefix: b"CurveZMQMESSAGEC",
                peer_nonce: self.peer_nonce,
            },
        })
    }
}

impl CurveCipher {
    /// Sets the framing version of sealed frames (the handshake's).
    pub fn set_version(&mut self, version: Version) {
        self.tx.version = version;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zmtp::mechanism::tests::{sent, shared};
    use crate::zmtp::socket_type::{ZMQ_DEALER, ZMQ_ROUTER};
    use crate::zmtp::testutil::XorShift;

    /// A client and a server that know each other's keys, plus the
    /// client's long-term public key.
    fn pair() -> (CurveClient, CurveServer, [u8; 32]) {
        let (spub, ssec) = keypair();
        let (cpub, csec) = keypair();
        (
            CurveClient::new(cpub, csec, spub),
            CurveServer::new(ssec),
            cpub,
        )
    }

    /// Runs the handshake to the end; returns both sides' shared state.
    fn connected() -> (CurveClient, CurveServer, Shared, Shared) {
        let (mut c, mut s, _) = pair();
        let (mut cs, mut ss) = (shared(ZMQ_DEALER), shared(ZMQ_ROUTER));
        c.start(&mut cs).unwrap();
        s.start(&mut ss).unwrap();
        let hello = sent(&mut cs).remove(0);
        s.process_command(hello, &mut ss).unwrap();
        let welcome = sent(&mut ss).remove(0);
        c.process_command(welcome, &mut cs).unwrap();
        let initiate = sent(&mut cs).remove(0);
        s.process_command(initiate, &mut ss).unwrap();
        assert!(ss.zap_request.take().is_some());
        s.zap_reply(ZapReply::NoHandler, &mut ss).unwrap();
        let ready = sent(&mut ss).remove(0);
        c.process_command(ready, &mut cs).unwrap();
        assert!(c.is_ready() && s.is_ready());
        (c, s, cs, ss)
    }

    #[test]
    fn command_sizes_and_prefixes_follow_rfc_26() {
        let (mut c, mut s, cpub) = pair();
        let (mut cs, mut ss) = (shared(ZMQ_DEALER), shared(ZMQ_ROUTER));
        c.start(&mut cs).unwrap();
        let hello = sent(&mut cs).remove(0);
        assert_eq!(hello.len(), HELLO_LEN);
        assert!(hello.starts_with(b"\x05HELLO\x01\x00"));
        assert!(hello[8..80].iter().all(|&b| b == 0), "72 octets of padding");
        assert_eq!(u64_at(&hello, 112), 1, "HELLO carries nonce 1");
        s.process_command(hello, &mut ss).unwrap();
        let welcome = sent(&mut ss).remove(0);
        assert_eq!(welcome.len(), WELCOME_LEN);
        assert!(welcome.starts_with(b"\x07WELCOME"));
        c.process_command(welcome, &mut cs).unwrap();
        let initiate = sent(&mut cs).remove(0);
        assert!(initiate.starts_with(b"\x08INITIATE"));
        assert!(initiate.len() >= INITIATE_MIN);
        assert_eq!(u64_at(&initiate, 105), 2, "INITIATE carries nonce 2");
        s.process_command(initiate, &mut ss).unwrap();
        let req = ss.zap_request.take().unwrap();
        assert_eq!(req.mechanism, b"CURVE");
        assert_eq!(req.credentials, vec![Bytes::copy_from_slice(&cpub)]);
        s.zap_reply(
            ZapReply::from_status(b"200", Bytes::new(), Bytes::new()),
            &mut ss,
        )
        .unwrap();
        let ready = sent(&mut ss).remove(0);
        assert!(ready.starts_with(b"\x05READY"));
        assert_eq!(u64_at(&ready, 6), 1, "READY carries the server's nonce 1");
        c.process_command(ready, &mut cs).unwrap();
        assert_eq!(&cs.peer_props[0].1[..], b"ROUTER");
        assert_eq!(&ss.peer_props[0].1[..], b"DEALER");
    }

    #[test]
    fn traffic_round_trip_with_flags_and_increasing_nonces() {
        let (mut c, mut s, _, _) = connected();
        let mut cc = c.take_cipher().unwrap();
        let mut sc = s.take_cipher().unwrap();
        let mut wire = BytesMut::new();
        cc.tx.seal(FLAG_MORE, b"part-1", &mut wire);
        cc.tx.seal(0, b"", &mut wire);
        let mut d = crate::zmtp::Decoder::new(Version::V3_1, -1);
        let f1 = d.decode(&mut wire).unwrap().unwrap();
        let f2 = d.decode(&mut wire).unwrap().unwrap();
        // Client messages start at nonce 3 (HELLO 1, INITIATE 2).
        assert_eq!(u64_at(&f1.body, 8), 3);
        assert_eq!(u64_at(&f2.body, 8), 4);
        assert_eq!(
            sc.rx.open(&f1.body),
            Ok((FLAG_MORE, Bytes::from_static(b"part-1")))
        );
        assert_eq!(sc.rx.open(&f2.body), Ok((0, Bytes::new())));
        sc.tx.seal(FLAG_COMMAND, b"\x04PONG", &mut wire);
        let f = d.decode(&mut wire).unwrap().unwrap();
        assert_eq!(u64_at(&f.body, 8), 2, "server messages start at 2");
        assert_eq!(cc.rx.open(&f.body).unwrap().0, FLAG_COMMAND);
    }

    #[test]
    fn subscriptions_are_commands_for_3_1_and_messages_for_3_0() {
        let (mut c, mut s, _, _) = connected();
        let mut cc = c.take_cipher().unwrap();
        let mut sc = s.take_cipher().unwrap();
        let mut d = crate::zmtp::Decoder::new(Version::V3_1, -1);
        let mut wire = BytesMut::new();
        cc.tx.seal_subscription(true, b"topic", &mut wire);
        let f = d.decode(&mut wire).unwrap().unwrap();
        assert_eq!(
            sc.rx.open(&f.body),
            Ok((FLAG_COMMAND, Bytes::from_static(b"\x09SUBSCRIBEtopic")))
        );
        cc.set_version(Version::V3_0);
        cc.tx.seal_subscription(false, b"t", &mut wire);
        let f = d.decode(&mut wire).unwrap().unwrap();
        assert_eq!(sc.rx.open(&f.body), Ok((0, Bytes::from_static(b"\x00t"))));
    }

    #[test]
    fn server_refuses_hello_for_another_server_key() {
        let (_, mut s, _) = pair();
        let (other_pub, _) = keypair();
        let (cpub, csec) = keypair();
        let mut c = CurveClient::new(cpub, csec, other_pub);
        let (mut cs, mut ss) = (shared(ZMQ_DEALER), shared(ZMQ_ROUTER));
        c.start(&mut cs).unwrap();
        let hello = sent(&mut cs).remove(0);
        assert_eq!(
            s.process_command(hello, &mut ss),
            Err(protocol(code::ZMTP_CRYPTOGRAPHIC))
        );
    }

    #[test]
    fn tampered_handshake_commands_are_refused() {
        let (mut c, mut s, _) = pair();
        let (mut cs, mut ss) = (shared(ZMQ_DEALER), shared(ZMQ_ROUTER));
        c.start(&mut cs).unwrap();
        let hello = sent(&mut cs).remove(0);
        s.process_command(hello, &mut ss).unwrap();
        let welcome = sent(&mut ss).remove(0);
        let mut bad = welcome.to_vec();
        bad[100] ^= 1;
        let mut c2 = CurveClient::new(c.public_key, c.secret_key, c.server_key);
        c2.cn_public = c.cn_public;
        c2.cn_secret = c.cn_secret;
        c2.state = ClientState::ExpectWelcome;
        assert_eq!(
            c2.process_command(Bytes::from(bad), &mut shared(ZMQ_DEALER)),
            Err(protocol(code::ZMTP_CRYPTOGRAPHIC))
        );
        c.process_command(welcome, &mut cs).unwrap();
        let initiate = sent(&mut cs).remove(0);
        // The cookie, the box, and the box's nonce, each tampered with.
        for at in [20, 200, 106] {
            let mut bad = initiate.to_vec();
            bad[at] ^= 0x80;
            let mut s2 = CurveServer::new(s.secret_key);
            s2.cn_public = s.cn_public;
            s2.cn_secret = s.cn_secret;
            s2.cn_client = s.cn_client;
            s2.cookie_key = s.cookie_key;
            s2.state = ServerState::WaitingInitiate;
            assert_eq!(
                s2.process_command(Bytes::from(bad), &mut shared(ZMQ_ROUTER)),
                Err(protocol(code::ZMTP_CRYPTOGRAPHIC)),
                "byte {at}"
            );
        }
    }

    #[test]
    fn short_and_malformed_commands_have_libzmq_codes() {
        let (mut c, mut s, _) = pair();
        let mut ss = shared(ZMQ_ROUTER);
        let b = |x: &'static [u8]| Bytes::from_static(x);
        assert_eq!(
            s.process_command(b(b"\x05HELL"), &mut ss),
            Err(protocol(code::ZMTP_MALFORMED_COMMAND_UNSPECIFIED))
        );
        assert_eq!(
            s.process_command(b(b"\x05HELLO\x01\x00"), &mut ss),
            Err(protocol(code::ZMTP_MALFORMED_COMMAND_HELLO))
        );
        assert_eq!(
            s.process_command(b(b"\x05READY\x00"), &mut ss),
            Err(protocol(code::ZMTP_UNEXPECTED_COMMAND))
        );
        let mut cs = shared(ZMQ_DEALER);
        c.start(&mut cs).unwrap();
        assert_eq!(
            c.process_command(b(b"\x07WELCOME\x00"), &mut cs),
            Err(protocol(code::ZMTP_CRYPTOGRAPHIC))
        );
        assert_eq!(
            c.process_command(b(b"\x05READY"), &mut cs),
            Err(protocol(code::ZMTP_UNEXPECTED_COMMAND))
        );
        assert_eq!(
            c.process_command(b(b"\x05ERROR\x05ab"), &mut cs),
            Err(protocol(code::ZMTP_MALFORMED_COMMAND_ERROR))
        );
        assert_eq!(
            c.process_command(b(b"\x05ERROR\x03400"), &mut cs),
            Err(HandshakeError::PeerError { reason: b(b"400") })
        );
    }

    #[test]
    fn boxes_with_bogus_lengths_are_refused_by_their_actual_size() {
        // CURVE boxes carry no length of their own: every size is the
        // frame's, so an oversized command (up to the 64 KiB the handshake
        // lets through) is judged on what is there, with libzmq's codes.
        let big = |prefix: &[u8], len: usize| {
            let mut v = prefix.to_vec();
            v.resize(len, 0xA5);
            Bytes::from(v)
        };
        let (mut c, mut s, _) = pair();
        let mut ss = shared(ZMQ_ROUTER);
        assert_eq!(
            s.process_command(big(b"\x05HELLO\x01\x00", 64 * 1024), &mut ss),
            Err(protocol(code::ZMTP_MALFORMED_COMMAND_HELLO))
        );
        assert_eq!(
            s.process_command(big(b"\x05HELLO\x01\x00", HELLO_LEN + 1), &mut ss),
            Err(protocol(code::ZMTP_MALFORMED_COMMAND_HELLO))
        );
        let mut cs = shared(ZMQ_DEALER);
        c.start(&mut cs).unwrap();
        assert_eq!(
            c.process_command(big(b"\x07WELCOME", 64 * 1024), &mut cs),
            Err(protocol(code::ZMTP_CRYPTOGRAPHIC))
        );
        // A server past HELLO fed a 64 KiB INITIATE whose boxes are noise.
        let (mut c, mut s, _) = pair();
        let (mut cs, mut ss) = (shared(ZMQ_DEALER), shared(ZMQ_ROUTER));
        c.start(&mut cs).unwrap();
        s.process_command(sent(&mut cs).remove(0), &mut ss).unwrap();
        assert!(!sent(&mut ss).is_empty());
        assert_eq!(
            s.process_command(big(b"\x08INITIATE", 64 * 1024), &mut ss),
            Err(protocol(code::ZMTP_CRYPTOGRAPHIC))
        );
        // Traffic: a 1 MiB MESSAGE of noise, and MESSAGE boxes cut at
        // every length below the minimum, are refused.
        let (mut c, _, _, _) = connected();
        let mut rx = c.take_cipher().unwrap().rx;
        assert!(rx.open(&big(b"\x07MESSAGE", 1 << 20)).is_err());
        for n in 0..MESSAGE_MIN {
            assert!(rx.open(&big(b"\x07MESSAGE", n.max(8))[..n]).is_err());
        }
    }

    #[test]
    fn truncated_and_random_input_never_panics() {
        let mut rng = XorShift::new(26);
        let (mut c0, mut s0, _) = pair();
        let (mut cs, mut ss) = (shared(ZMQ_DEALER), shared(ZMQ_ROUTER));
        c0.start(&mut cs).unwrap();
        let hello = sent(&mut cs).remove(0);
        s0.process_command(hello.clone(), &mut ss).unwrap();
        let welcome = sent(&mut ss).remove(0);
        c0.process_command(welcome.clone(), &mut cs).unwrap();
        let initiate = sent(&mut cs).remove(0);
        let real = [hello, welcome, initiate];
        for round in 0..2000 {
            let base = &real[round % 3];
            let cut = rng.below(base.len() + 1);
            let mut body = base[..cut].to_vec();
            if round % 2 == 0 {
                let n = rng.below(64);
                let extra = rng.bytes(n);
                body.extend_from_slice(&extra);
            }
            if !body.is_empty() && round % 5 == 0 {
                let i = rng.below(body.len());
                let bit = rng.below(8);
                body[i] ^= 1 << bit;
            }
            let body = Bytes::from(body);
            let (mut c, mut s, _) = pair();
            let _ = s.process_command(body.clone(), &mut shared(ZMQ_ROUTER));
            let mut cs = shared(ZMQ_DEALER);
            c.start(&mut cs).unwrap();
            let _ = c.process_command(body.clone(), &mut cs);
            // The server in its second state gets the mangled INITIATE.
            let mut s2 = CurveServer::new(s0.secret_key);
            s2.cn_client = s0.cn_client;
            s2.cn_secret = s0.cn_secret;
            s2.cookie_key = s0.cookie_key;
            s2.state = ServerState::WaitingInitiate;
            let _ = s2.process_command(body, &mut shared(ZMQ_ROUTER));
        }
        let (mut c, _, _, _) = connected();
        let mut rx = c.take_cipher().unwrap().rx;
        for n in 0..200 {
            let body = rng.bytes(n);
            assert!(rx.open(&body).is_err());
            let mut m = b"\x07MESSAGE".to_vec();
            m.extend_from_slice(&rng.bytes(n));
            assert!(rx.open(&m).is_err());
        }
    }
}
