//! The system libsodium's `crypto_box` precomputed-key functions, behind a
//! safe interface: the CURVE MESSAGE cipher for boxes of 512 bytes and more
//! (`zmtp::mechanism::curve::cipher`), where libsodium's SIMD Salsa20 is 1.5x
//! (1 KiB) to 3x (64 KiB) faster than RustCrypto's portable one
//! (perf/curvebench, perf/README.md). The same curve25519-xsalsa20poly1305
//! box as RustCrypto's `crypto_box`; the unit tests seal with one and open
//! with the other.
//!
//! Built only when build.rs found libsodium (cfg `monocoque_sodium`) and
//! never under Miri, which cannot call C; without it every box is
//! RustCrypto's.

/// `crypto_box_BEFORENMBYTES`, `crypto_box_MACBYTES`, `crypto_box_NONCEBYTES`.
const KEY: usize = 32;
const MAC: usize = 16;
const NONCE: usize = 24;
/// `crypto_box_MESSAGEBYTES_MAX` is `SODIUM_SIZE_MAX - crypto_box_MACBYTES`
/// with `SODIUM_SIZE_MAX` the smaller of `SIZE_MAX` and `u64::MAX`: no
/// slice of a 64-bit process comes near it; the bound is checked anyway
/// before every call.
const MESSAGE_MAX: u64 = u64::MAX - MAC as u64;

// SAFETY: the declarations match libsodium 1.0.18's `sodium/core.h`,
// `sodium/crypto_box.h` and `sodium/utils.h` (unsigned long long = u64,
// unsigned char * = *mut u8, int = i32, size_t = usize).
unsafe extern "C" {
    fn sodium_init() -> i32;
    fn crypto_box_beforenm(k: *mut u8, pk: *const u8, sk: *const u8) -> i32;
    fn crypto_box_detached_afternm(
        c: *mut u8,
        mac: *mut u8,
        m: *const u8,
        mlen: u64,
        n: *const u8,
        k: *const u8,
    ) -> i32;
    fn crypto_box_open_detached_afternm(
        m: *mut u8,
        c: *const u8,
        mac: *const u8,
        clen: u64,
        n: *const u8,
        k: *const u8,
    ) -> i32;
    fn sodium_memzero(pnt: *mut u8, len: usize);
}

/// `sodium_init` once per process (it picks the SIMD implementations; it
/// is thread-safe and idempotent). False when libsodium cannot initialise:
/// the caller then uses RustCrypto.
fn ready() -> bool {
    static READY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    // SAFETY: no arguments; libsodium documents sodium_init as safe to call
    // from any thread, any number of times (0 first time, 1 later, -1 on
    // failure).
    *READY.get_or_init(|| unsafe { sodium_init() } >= 0)
}

/// A precomputed `crypto_box` key (`crypto_box_beforenm`), zeroed on drop.
pub struct BoxKey([u8; KEY]);

impl BoxKey {
    /// The shared key of the peer's public key and our secret key; None if
    /// libsodium is unusable or rejects the public key (a low-order point:
    /// libsodium refuses it, RustCrypto then handles the connection).
    pub fn new(public: &[u8; 32], secret: &[u8; 32]) -> Option<BoxKey> {
        if !ready() {
            return None;
        }
        let mut k = BoxKey([0u8; KEY]);
        // SAFETY: three live 32-byte arrays (KEY = crypto_box_BEFORENMBYTES,
        // public and secret keys are 32 bytes), `k` written only.
        let r = unsafe { crypto_box_beforenm(k.0.as_mut_ptr(), public.as_ptr(), secret.as_ptr()) };
        (r == 0).then_some(k)
    }

    /// Seals `buf` in place (`crypto_box_detached_afternm`) and returns the
    /// MAC; None only for a buffer past libsodium's size bound.
    pub fn seal(&self, nonce: &[u8; NONCE], buf: &mut [u8]) -> Option<[u8; MAC]> {
        let len = u64::try_from(buf.len())
            .ok()
            .filter(|&l| l <= MESSAGE_MAX)?;
        let mut mac = [0u8; MAC];
        let p = buf.as_mut_ptr();
        // SAFETY: `buf` is live for `len` bytes and written in place
        // (libsodium's secretbox allows c == m); `mac` is 16 bytes
        // (crypto_box_MACBYTES), the nonce 24 (NONCEBYTES), the key 32
        // (BEFORENMBYTES); `len` is within crypto_box_MESSAGEBYTES_MAX.
        let r = unsafe {
            crypto_box_detached_afternm(
                p,
                mac.as_mut_ptr(),
                p,
                len,
                nonce.as_ptr(),
                self.0.as_ptr(),
            )
        };
        (r == 0).then_some(mac)
    }

    /// Opens `buf` in place (`crypto_box_open_detached_afternm`); false
    /// when the MAC does not verify (`buf` is then unchanged) or the buffer
    /// is past the size bound.
    pub fn open(&self, nonce: &[u8; NONCE], buf: &mut [u8], mac: &[u8; MAC]) -> bool {
        let Some(len) = u64::try_from(buf.len()).ok().filter(|&l| l <= MESSAGE_MAX) else {
            return false;
        };
        let p = buf.as_mut_ptr();
        // SAFETY: as in `seal`: `buf` live for `len` bytes, written in place
        // (allowed, c == m), only after the MAC verified; `mac` 16 bytes,
        // nonce 24, key 32.
        let r = unsafe {
            crypto_box_open_detached_afternm(
                p,
                p,
                mac.as_ptr(),
                len,
                nonce.as_ptr(),
                self.0.as_ptr(),
            )
        };
        r == 0
    }
}

impl Drop for BoxKey {
    fn drop(&mut self) {
        // SAFETY: the key's own 32 live bytes.
        unsafe { sodium_memzero(self.0.as_mut_ptr(), KEY) };
    }
}
