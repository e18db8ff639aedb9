//! Random numbers where libzmq uses `generate_random()`: counters it starts
//! at random (routing ids, request ids), the jitter added to reconnect
//! intervals, WebSocket masking keys. Unpredictable enough to keep peers
//! apart and out of lockstep; never secret (CURVE takes its keys and nonces
//! from the operating system's generator, `OsRng`).

use std::cell::Cell;
use std::hash::{BuildHasher, Hasher};

/// A fresh 64-bit seed: the standard library's per-process random hasher
/// keys (from the operating system) mixed with the time and a counter.
pub fn seed() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    h.finish()
}

/// A random 32-bit value (a new seed each call: for start values, not for
/// streams of numbers).
pub fn random_u32() -> u32 {
    seed() as u32
}

thread_local! {
    static STATE: Cell<u64> = const { Cell::new(0) };
}

/// The next value of this thread's xorshift64* stream (seeded on first
/// use): for per-event jitter, where a hasher per call would be waste.
pub fn next_u64() -> u64 {
    STATE.with(|s| {
        let mut x = s.get();
        if x == 0 {
            x = seed() | 1;
        }
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        s.set(x);
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    })
}

/// A value in `0..bound` (`bound` > 0).
pub fn below(bound: u32) -> u32 {
    ((next_u64() >> 32) % u64::from(bound)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_stays_in_range_and_varies() {
        let draws: Vec<u32> = (0..1000).map(|_| below(100)).collect();
        assert!(draws.iter().all(|&d| d < 100));
        let distinct: std::collections::HashSet<_> = draws.iter().collect();
        // 1000 draws of 100 values: all of them appear with overwhelming
        // probability; a broken generator gives a handful.
        assert!(distinct.len() > 80, "{}", distinct.len());
        assert_eq!(below(1), 0);
    }

    #[test]
    fn seeds_differ() {
        assert_ne!(seed(), seed());
    }
}
