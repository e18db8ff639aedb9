//! The counter behind `zmq_atomic_counter_*`: a 32-bit integer shared
//! between threads.
//!
//! Conventions are libzmq's (`zmq_atomic_counter_inc(3)`, `_dec(3)`): `inc`
//! returns the value *before* the increment; `dec` reports whether the
//! counter is still non-zero *after* the decrement (the C function returns
//! 1 or 0, not the value). Arithmetic wraps, as libzmq's unsigned counter
//! does.

use std::sync::atomic::{AtomicI32, Ordering};

#[derive(Debug, Default)]
pub struct AtomicCounter {
    value: AtomicI32,
}

impl AtomicCounter {
    /// A counter at zero.
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set(&self, value: i32) {
        self.value.store(value, Ordering::Release);
    }

    /// Adds one; returns the old value.
    pub fn inc(&self) -> i32 {
        self.value.fetch_add(1, Ordering::AcqRel)
    }

    /// Subtracts one; returns the new value.
    pub fn dec(&self) -> i32 {
        self.value.fetch_sub(1, Ordering::AcqRel).wrapping_sub(1)
    }

    pub fn value(&self) -> i32 {
        self.value.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn starts_at_zero() {
        assert_eq!(AtomicCounter::new().value(), 0);
    }

    #[test]
    fn inc_returns_the_old_value() {
        let c = AtomicCounter::new();
        assert_eq!(c.inc(), 0);
        assert_eq!(c.inc(), 1);
        assert_eq!(c.value(), 2);
    }

    #[test]
    fn dec_returns_the_new_value() {
        let c = AtomicCounter::new();
        c.set(2);
        assert_eq!(c.dec(), 1);
        assert_eq!(c.dec(), 0);
        assert_eq!(c.dec(), -1);
    }

    #[test]
    fn set_overrides_the_value() {
        let c = AtomicCounter::new();
        c.inc();
        c.set(-7);
        assert_eq!(c.value(), -7);
    }

    #[test]
    fn arithmetic_wraps_like_libzmq() {
        let c = AtomicCounter::new();
        c.set(i32::MAX);
        assert_eq!(c.inc(), i32::MAX);
        assert_eq!(c.value(), i32::MIN);
        assert_eq!(c.dec(), i32::MAX);
    }

    #[test]
    fn concurrent_increments_are_not_lost() {
        let c = Arc::new(AtomicCounter::new());
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let c = c.clone();
                std::thread::spawn(move || {
                    for _ in 0..10_000 {
                        c.inc();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(c.value(), 40_000);
    }
}
