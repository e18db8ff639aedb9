//! A mutex whose unlock is a plain store: one atomic read-modify-write per
//! lock/unlock pair instead of two.
//!
//! The socket's state and each pipe queue are locked on every message, and
//! on the project's VMs one `lock cmpxchg` costs 15–25 ns: parking_lot's
//! unlock (a compare-exchange, so that it can see parked waiters) was a
//! sixth of the inproc message path (`perf annotate`, `thr inproc 64`).
//! Here nobody parks: a waiter spins briefly, then yields, then sleeps in
//! short, growing steps until the lock is free. That suits locks held for
//! a few hundred nanoseconds, and at worst for one non-blocking syscall;
//! nothing may block (wait for another thread) while holding one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub struct RawLock {
    locked: AtomicBool,
}

// SAFETY: `lock`/`try_lock` succeed only by swapping `locked` from false to
// true with Acquire ordering, so one holder at a time; `unlock` (called by
// that holder only, per the trait's contract) stores false with Release
// ordering, which publishes the holder's writes to the next one.
unsafe impl lock_api::RawMutex for RawLock {
    #[allow(clippy::declare_interior_mutable_const)]
    const INIT: RawLock = RawLock {
        locked: AtomicBool::new(false),
    };

    type GuardMarker = lock_api::GuardSend;

    #[inline]
    fn lock(&self) {
        if !self.try_lock() {
            self.lock_contended();
        }
    }

    #[inline]
    fn try_lock(&self) -> bool {
        self.locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    #[inline]
    unsafe fn unlock(&self) {
        self.locked.store(false, Ordering::Release);
    }

    #[inline]
    fn is_locked(&self) -> bool {
        self.locked.load(Ordering::Relaxed)
    }
}

impl RawLock {
    #[cold]
    fn lock_contended(&self) {
        let mut round = 0u32;
        loop {
            // Wait for the lock to look free before trying again, so that
            // waiters do not steal the line from the holder.
            while self.locked.load(Ordering::Relaxed) {
                round += 1;
                match round {
                    0..=200 => std::hint::spin_loop(),
                    201..=220 => std::thread::yield_now(),
                    // The holder is descheduled (or in a syscall): back off.
                    _ => std::thread::sleep(Duration::from_micros(
                        (u64::from(round - 220) * 10).min(500),
                    )),
                }
            }
            if lock_api::RawMutex::try_lock(self) {
                return;
            }
        }
    }
}

pub type Mutex<T> = lock_api::Mutex<RawLock, T>;
pub type MutexGuard<'a, T> = lock_api::MutexGuard<'a, RawLock, T>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn excludes_and_publishes_across_threads() {
        let m = Arc::new(Mutex::new((0u64, 0u64)));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let m = m.clone();
                std::thread::spawn(move || {
                    for _ in 0..20_000 {
                        let mut g = m.lock();
                        // Two fields updated apart: a torn view would show.
                        g.0 += 1;
                        assert_eq!(g.0, g.1 + 1);
                        g.1 += 1;
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(*m.lock(), (80_000, 80_000));
    }

    #[test]
    fn try_lock_fails_while_held() {
        let m = Mutex::new(1);
        let g = m.lock();
        assert!(m.try_lock().is_none());
        drop(g);
        assert!(m.try_lock().is_some());
    }

    #[test]
    fn a_waiter_gets_the_lock_after_a_long_hold() {
        let m = Arc::new(Mutex::new(0));
        let g = m.lock();
        let m2 = m.clone();
        let t = std::thread::spawn(move || *m2.lock() + 1);
        std::thread::sleep(Duration::from_millis(20));
        drop(g);
        assert_eq!(t.join().unwrap(), 1);
    }
}
