//! The message cipher of an established CURVE connection: MESSAGE
//! boxes sealed (`CurveTx`) and opened (`CurveRx`) with the short-term keys.

use super::*;

/// Plaintexts from this size on go through libsodium when it is linked:
/// below it RustCrypto is as fast or faster (libsodium's SIMD Salsa20 works
/// on 256-byte strides and its open costs more on small boxes), from it
/// libsodium is faster (perf/curvebench, perf/README.md "CURVE cipher").
#[cfg(all(monocoque_sodium, not(miri)))]
const SODIUM_FROM: usize = 512;

/// One direction's precomputed box key: RustCrypto's, and libsodium's when
/// it is linked and accepted the keys. Both compute the same
/// curve25519-xsalsa20poly1305 box, so which one seals or opens a given
/// MESSAGE changes no byte on the wire.
pub struct MsgBox {
    rc: SalsaBox,
    /// Boxed: keeps `CurveCipher` (and the handshake's `Established`) small.
    #[cfg(all(monocoque_sodium, not(miri)))]
    sodium: Option<Box<crate::io::sodium::BoxKey>>,
}

impl MsgBox {
    /// The box key between the peer's public key and our secret key.
    pub(super) fn new(peer: &[u8; 32], ours: &[u8; 32]) -> MsgBox {
        MsgBox {
            rc: salsa_box(peer, ours),
            #[cfg(all(monocoque_sodium, not(miri)))]
            sodium: crate::io::sodium::BoxKey::new(peer, ours).map(Box::new),
        }
    }

    /// Whether boxes from `SODIUM_FROM` bytes on go through libsodium.
    #[cfg(test)]
    pub(super) fn uses_sodium(&self) -> bool {
        #[cfg(all(monocoque_sodium, not(miri)))]
        return self.sodium.is_some();
        #[cfg(not(all(monocoque_sodium, not(miri))))]
        false
    }

    /// Seals `buf` in place, returning the MAC. Only inputs near 2^38
    /// bytes can fail, far past any frame size a 64-bit length and the
    /// message size limits allow here.
    pub(super) fn seal(&self, nonce: &[u8; 24], buf: &mut [u8]) -> Option<[u8; MAC]> {
        #[cfg(all(monocoque_sodium, not(miri)))]
        if let Some(k) = self.sodium.as_ref().filter(|_| buf.len() >= SODIUM_FROM) {
            return k.seal(nonce, buf);
        }
        let tag = self
            .rc
            .encrypt_in_place_detached(nonce.into(), b"", buf)
            .ok()?;
        Some(tag.into())
    }

    /// Opens `buf` in place; false when the MAC does not verify.
    pub(super) fn open(&self, nonce: &[u8; 24], buf: &mut [u8], mac: &[u8; MAC]) -> bool {
        #[cfg(all(monocoque_sodium, not(miri)))]
        if let Some(k) = self.sodium.as_ref().filter(|_| buf.len() >= SODIUM_FROM) {
            return k.open(nonce, buf, mac);
        }
        self.rc
            .decrypt_in_place_detached(nonce.into(), b"", buf, mac.into())
            .is_ok()
    }
}

/// Seals our outgoing traffic frames.
pub struct CurveTx {
    pub(super) cipher: MsgBox,
    pub(super) prefix: &'static [u8; 16],
    pub(super) nonce: u64,
    pub(super) version: Version,
}

impl CurveTx {
    /// Appends one frame carrying MESSAGE: the flags byte and `body`, boxed.
    /// libzmq sends it as a plain (non-command, single-part) frame; MORE
    /// and COMMAND travel inside the box.
    pub fn seal(&mut self, flags: u8, body: &[u8], out: &mut BytesMut) {
        let len = MESSAGE_MIN + body.len();
        out.reserve(9 + len);
        encode_header(self.version, false, false, len, out);
        self.seal_message(flags, body, out);
    }

    /// Appends the body of one MESSAGE command (`MESSAGE_MIN + body.len()`
    /// bytes) carrying the flags byte and `body`, boxed; no frame header, so
    /// each framing (ZMTP, ZWS) writes its own around it.
    pub fn seal_message(&mut self, flags: u8, body: &[u8], out: &mut BytesMut) {
        let n = self.nonce;
        self.nonce += 1;
        out.reserve(MESSAGE_MIN + body.len());
        out.put_slice(b"\x07MESSAGE");
        out.put_u64(n);
        let tag_at = out.len();
        out.put_slice(&[0u8; MAC]);
        let start = out.len();
        out.put_u8(flags);
        out.put_slice(body);
        let nonce = nonce24(self.prefix, &n.to_be_bytes());
        if let Some(tag) = self.cipher.seal(&nonce, &mut out[start..]) {
            out[tag_at..tag_at + MAC].copy_from_slice(&tag);
        }
    }

    /// Seals a subscription: a SUBSCRIBE/CANCEL command for 3.1 peers, the
    /// 0x01/0x00-prefixed message for 3.0 ones (libzmq `downgrade_sub`).
    pub fn seal_subscription(&mut self, subscribe: bool, topic: &[u8], out: &mut BytesMut) {
        let (flags, body) = self.subscription(subscribe, topic);
        self.seal(flags, &body, out);
    }

    /// `seal_subscription` without the frame header (`seal_message`).
    pub fn seal_subscription_message(&mut self, subscribe: bool, topic: &[u8], out: &mut BytesMut) {
        let (flags, body) = self.subscription(subscribe, topic);
        self.seal_message(flags, &body, out);
    }

    /// The flags and body a subscription is boxed as at our revision.
    fn subscription(&self, subscribe: bool, topic: &[u8]) -> (u8, Vec<u8>) {
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
        (flags, body)
    }
}

/// Opens the peer's traffic frames.
pub struct CurveRx {
    pub(super) cipher: MsgBox,
    pub(super) prefix: &'static [u8; 16],
    pub(super) peer_nonce: u64,
}

impl CurveRx {
    /// Opens one MESSAGE: its flags byte (`FLAG_MORE`, `FLAG_COMMAND`) and
    /// body. Errors are the `ZMQ_PROTOCOL_ERROR_*` libzmq reports; the
    /// connection must then close. Copies the box once; `open_owned`
    /// opens a received frame's buffer in place.
    pub fn open(&mut self, body: &[u8]) -> Result<(u8, Bytes), u32> {
        let (nonce, tag) = self.check(body)?;
        self.decrypt(&nonce, &tag, BytesMut::from(&body[32..]))
    }

    /// `open` on a frame body it may keep: when `body`'s buffer is not
    /// shared (the read pump's frames usually are not), the box is opened
    /// in that buffer and the message is a slice of it, no allocation and
    /// no copy; a shared buffer is copied as `open` does.
    pub fn open_owned(&mut self, body: Bytes) -> Result<(u8, Bytes), u32> {
        let (nonce, tag) = self.check(&body)?;
        let plain = match body.try_into_mut() {
            Ok(mut own) => {
                own.advance(32);
                own
            }
            Err(shared) => BytesMut::from(&shared[32..]),
        };
        self.decrypt(&nonce, &tag, plain)
    }

    /// libzmq's checks on a MESSAGE before its box is opened (the nonce
    /// must grow); returns the box's nonce and MAC.
    fn check(&mut self, body: &[u8]) -> Result<([u8; 24], [u8; MAC]), u32> {
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
        let mut tag = [0u8; MAC];
        tag.copy_from_slice(&body[16..32]);
        Ok((nonce24(self.prefix, &body[8..16]), tag))
    }

    /// Opens the box `plain` (flags byte and body) in place.
    fn decrypt(
        &self,
        nonce: &[u8; 24],
        tag: &[u8; MAC],
        mut plain: BytesMut,
    ) -> Result<(u8, Bytes), u32> {
        if !self.cipher.open(nonce, &mut plain, tag) {
            return Err(code::ZMTP_CRYPTOGRAPHIC);
        }
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

impl CurveCipher {
    /// Sets the framing version of sealed frames (the handshake's).
    pub fn set_version(&mut self, version: Version) {
        self.tx.version = version;
    }
}
