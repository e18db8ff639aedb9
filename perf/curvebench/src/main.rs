//! `cargo run --release [-- ITERS_SCALE]` in perf/curvebench: seal and open
//! one CURVE MESSAGE box (crypto_box_afternm / open_afternm: precomputed
//! key, 24-byte nonce, detached 16-byte MAC, in place) at 64 B, 1 KiB and
//! 64 KiB with RustCrypto crypto_box 0.9 (salsa20 0.10 + poly1305 0.8) and
//! with the system libsodium (linked with -lsodium). Prints ns per
//! operation and MB/s; first checks that both produce the same bytes.
use crypto_box::aead::AeadInPlace;
use crypto_box::{SalsaBox, SecretKey};
use std::hint::black_box;
use std::time::Instant;

#[link(name = "sodium")]
extern "C" {
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
}

fn sodium_seal(k: &[u8; 32], n: &[u8; 24], buf: &mut [u8], mac: &mut [u8; 16]) {
    // SAFETY: buf, mac, n, k are live and of the lengths passed; libsodium
    // allows c == m (in place).
    let r = unsafe {
        crypto_box_detached_afternm(
            buf.as_mut_ptr(),
            mac.as_mut_ptr(),
            buf.as_ptr(),
            buf.len() as u64,
            n.as_ptr(),
            k.as_ptr(),
        )
    };
    assert_eq!(r, 0);
}

fn sodium_open(k: &[u8; 32], n: &[u8; 24], buf: &mut [u8], mac: &[u8; 16]) -> bool {
    // SAFETY: as in sodium_seal.
    unsafe {
        crypto_box_open_detached_afternm(
            buf.as_mut_ptr(),
            buf.as_ptr(),
            mac.as_ptr(),
            buf.len() as u64,
            n.as_ptr(),
            k.as_ptr(),
        ) == 0
    }
}

fn time<F: FnMut(u64)>(iters: u64, mut f: F) -> f64 {
    for i in 0..iters / 10 + 1 {
        f(i);
    }
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for i in 0..iters {
            f(i);
        }
        best = best.min(t.elapsed().as_nanos() as f64 / iters as f64);
    }
    best
}

fn main() {
    let scale: u64 = std::env::args()
        .nth(1)
        .map_or(1, |s| s.parse().expect("scale"));
    // SAFETY: no arguments; safe to call more than once.
    assert!(unsafe { sodium_init() } >= 0);
    let a = SecretKey::from([7u8; 32]);
    let b = SecretKey::from([9u8; 32]);
    let rc = SalsaBox::new(&b.public_key(), &a);
    let mut k = [0u8; 32];
    let pk = b.public_key().to_bytes();
    let sk = a.to_bytes();
    // SAFETY: three live 32-byte arrays.
    assert_eq!(
        unsafe { crypto_box_beforenm(k.as_mut_ptr(), pk.as_ptr(), sk.as_ptr()) },
        0
    );

    println!("| size | op | RustCrypto ns | libsodium ns | RustCrypto MB/s | libsodium MB/s | libsodium ÷ RustCrypto speed |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for &size in &[64usize, 128, 256, 512, 1024, 65536] {
        let iters = scale * (20_000_000 / (size as u64 + 200)).max(200);
        let plain: Vec<u8> = (0..size).map(|i| i as u8).collect();
        let mut nonce = [0u8; 24];
        nonce[..16].copy_from_slice(b"CurveZMQMESSAGEC");
        // Same bytes from both.
        let mut x = plain.clone();
        let tag = rc
            .encrypt_in_place_detached(&nonce.into(), b"", &mut x)
            .unwrap();
        let mut y = plain.clone();
        let mut mac = [0u8; 16];
        sodium_seal(&k, &nonce, &mut y, &mut mac);
        assert_eq!(x, y, "ciphertexts differ");
        assert_eq!(tag.as_slice(), &mac, "MACs differ");
        assert!(sodium_open(&k, &nonce, &mut y, &mac));
        assert_eq!(y, plain);

        let mut buf = plain.clone();
        let rc_seal = time(iters, |i| {
            nonce[16..].copy_from_slice(&i.to_be_bytes());
            let t = rc
                .encrypt_in_place_detached(&nonce.into(), b"", &mut buf)
                .unwrap();
            black_box(t);
        });
        let so_seal = time(iters, |i| {
            nonce[16..].copy_from_slice(&i.to_be_bytes());
            let mut m = [0u8; 16];
            sodium_seal(&k, &nonce, &mut buf, &mut m);
            black_box(m);
        });
        // Open: one sealed box, opened again and again from a copy.
        let sealed = x.clone();
        let tag16: [u8; 16] = mac;
        nonce[16..].copy_from_slice(&[0u8; 8]);
        let rc_open = time(iters, |_| {
            buf.copy_from_slice(&sealed);
            rc.decrypt_in_place_detached(&nonce.into(), b"", &mut buf, (&tag16).into())
                .unwrap();
            black_box(&buf);
        });
        let so_open = time(iters, |_| {
            buf.copy_from_slice(&sealed);
            assert!(sodium_open(&k, &nonce, &mut buf, &tag16));
            black_box(&buf);
        });
        for (op, r, s) in [("seal", rc_seal, so_seal), ("open", rc_open, so_open)] {
            println!(
                "| {size} | {op} | {r:.0} | {s:.0} | {:.0} | {:.0} | {:.2}× |",
                size as f64 * 1e3 / r,
                size as f64 * 1e3 / s,
                r / s
            );
        }
    }
}
