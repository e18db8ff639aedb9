//! The CURVE mechanism (RFC 26, over CurveZMQ RFC 25): HELLO, WELCOME,
//! INITIATE, READY with NaCl boxes, then every traffic frame sealed in a
//! MESSAGE command.
//!
//! The boxes are curve25519-xsalsa20poly1305 (`crypto_box`) and the cookie
//! xsalsa20poly1305 (`crypto_secretbox`), the RustCrypto implementations of
//! what libsodium calls by the same names; nothing here does arithmetic of
//! its own. MESSAGE boxes of 512 bytes and more go through the system
//! libsodium instead when it is linked (`cipher::MsgBox`, faster there by
//! measurement; the same bytes). A box on the wire is NaCl's: the 16-byte MAC, then the
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
pub const MESSAGE_MIN: usize = 8 + 8 + MAC + 1;

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

mod cipher;
mod client;
mod server;
#[cfg(test)]
mod tests;

pub use cipher::{CurveCipher, CurveRx, CurveTx, MsgBox};
#[cfg(test)]
use client::ClientState;
pub(crate) use client::CurveClient;
pub(crate) use server::CurveServer;
#[cfg(test)]
use server::ServerState;
