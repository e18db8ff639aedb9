//! A mutex whose unlock is a plain store: one atomic read-modify-write per
//! lock/unlock pair instead of two.
//!
//! (The socket's state is locked through `io::biased`, which takes this
//! mutex only when the thread using the socket changes.)
//!
//! The socket's state and each pipe queue are locked on every message, and
//! on the project's VMs one `lock cmpxchg` costs 15–25 ns: parking_lot's
//! unlock (a compare-exchange, so that it can see parked waiters) was a
//! sixth of the inproc message path (`perf annotate`, `thr inproc 64`).
//!
//! Nobody parks, so an unlock has nobody to wake and there is no wakeup to
//! lose: a waiter spins briefly, then yields, then sleeps in short, growing
//! steps (10 µs more each time, at most 500 µs) and looks again after each,
//! so it takes the lock at most one step after the lock is free and it is
//! its turn. The price:
//!
//! - No fairness: whoever tries first after an unlock wins (a holder that
//!   re-locks at once can win again). A waiter is starved only while the
//!   lock is held almost all the time, which these locks never are: a pipe
//!   queue is shared by two threads that each hold it for a push or a batch
//!   swap, the socket state by the application thread (the I/O threads
//!   never take it).
//! - A waiter in the sleeping phase may take the lock up to 500 µs after it
//!   came free; one that gets there spent about 220 tries (the holder was
//!   descheduled or in a syscall).
//! - Not reentrant: locking it twice on one thread never returns (as with
//!   parking_lot, where it deadlocks).
//!
//! That suits locks held for a few hundred nanoseconds: a pipe queue's
//! lock is held for a push or a batch swap only, and nothing may wait for
//! another thread while holding any of these locks. The socket-state lock
//! is the exception to "short": `bind` holds it across address resolution
//! and bind(2), which can block (a name lookup). No I/O thread ever takes
//! that lock, so only another application thread using the same socket at
//! once (which libzmq sockets do not allow either) can wait behind it, in
//! the sleeping phase above. A panic while held unlocks it on the unwind (the guard's
//! `Drop`) and does not poison it, as with parking_lot (SAFETY.md,
//! "Panics", says what that leaves).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The lock word: bit 0 is set while the lock is held; the bits above
/// count unlocks. An unlock is still a plain store (the holder knows the
/// word), and a thread can tell from the word alone whether anyone has
/// held the lock since it last let go (`untouched_since`): a reader that
/// found its queue empty looks again without taking the lock, and does
/// not take it from the writer over and over (a consumer polling with
/// non-blocking receives held its queue's lock so much of the time that
/// the I/O thread filling it gave up its core in `lock_contended`,
/// milliseconds each time).
pub struct RawLock {
    word: AtomicU64,
}

const HELD: u64 = 1;

// SAFETY: `lock`/`try_lock` succeed only when their `fetch_or` of `HELD`
// (SeqCst, so Acquire) found it clear, so one holder at a time (a failed
// one leaves the word as it was); `unlock` (called by that holder only,
// per the trait's contract) stores the next unheld value with Release
// ordering, which publishes the holder's writes to the next one.
unsafe impl lock_api::RawMutex for RawLock {
    #[allow(clippy::declare_interior_mutable_const)]
    const INIT: RawLock = RawLock {
        word: AtomicU64::new(0),
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
        // One read-modify-write, which takes the line exclusive at once (a
        // load before a compare-exchange costs a second transfer of the
        // line when the other core has it: inproc 64 B, 0.88x); setting a
        // bit that is already set changes nothing. SeqCst: see
        // `untouched_since`.
        self.word.fetch_or(HELD, Ordering::SeqCst) & HELD == 0
    }

    /// # Safety
    /// The calling context holds the lock (lock_api's contract for
    /// `RawMutex::unlock`; its guards call it once, from the guard that
    /// `lock`/`try_lock` returned).
    #[inline]
    unsafe fn unlock(&self) {
        // Only the holder writes the word while it is held.
        let w = self.word.load(Ordering::Relaxed);
        self.word.store(w + HELD, Ordering::Release);
    }

    #[inline]
    fn is_locked(&self) -> bool {
        self.word.load(Ordering::Relaxed) & HELD != 0
    }
}

impl RawLock {
    #[cold]
    fn lock_contended(&self) {
        let mut round = 0u32;
        // (The sleep is at most 500 µs whatever `round` is; it only has to
        // stay past the yields, hence saturating.)
        loop {
            // Wait for the lock to look free before trying again, so that
            // waiters do not steal the line from the holder.
            while self.word.load(Ordering::Relaxed) & HELD != 0 {
                round = round.saturating_add(1);
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

/// Taken while holding `guard`: the stamp its unlock will leave, for
/// `untouched_since`.
pub fn unlock_stamp<T>(guard: &MutexGuard<'_, T>) -> u64 {
    // SAFETY: `raw` only lends the lock; it is read here, never locked or
    // unlocked through it.
    let raw = unsafe { MutexGuard::mutex(guard).raw() };
    // Held by this thread: nobody else changes the word until the unlock,
    // which adds `HELD` (clearing the bit, counting one more unlock).
    raw.word.load(Ordering::Relaxed) + HELD
}

/// Whether nobody has held `m` since the unlock that left `stamp`
/// (`unlock_stamp`), so what its holder saw then still stands.
///
/// SeqCst, as the lock's `fetch_or`: a reader that announced its wait
/// (`Signaler::arm`, SeqCst) and then finds the word unchanged could
/// otherwise miss a writer that locked the queue meanwhile and, looking
/// for waiters under the lock (SeqCst), missed the announcement. With
/// the four in one total order, one of the two sees the other. (Before
/// stamps the reader's look took the lock, which ordered it; on x86 the
/// orderings cost nothing more.)
pub fn untouched_since<T>(m: &Mutex<T>, stamp: u64) -> bool {
    // SAFETY: as in `unlock_stamp`: read only.
    let raw = unsafe { m.raw() };
    raw.word.load(Ordering::SeqCst) == stamp
}

pub type Mutex<T> = lock_api::Mutex<RawLock, T>;
pub type MutexGuard<'a, T> = lock_api::MutexGuard<'a, RawLock, T>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;

    /// Fewer rounds under Miri (about 10^4 times slower); the same shapes.
    const ROUNDS: u64 = if cfg!(miri) { 200 } else { 20_000 };

    #[test]
    fn excludes_and_publishes_across_threads() {
        // The data is a plain (non-atomic) pair inside the mutex: without
        // mutual exclusion increments are lost or the invariant is seen
        // broken; without Acquire/Release between holders, Miri's data-race
        // detector reports the accesses (checked by weakening the orderings
        // to Relaxed: Miri then fails this test).
        let m = Arc::new(Mutex::new((0u64, 0u64)));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let m = m.clone();
                std::thread::spawn(move || {
                    for _ in 0..ROUNDS {
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
        assert_eq!(*m.lock(), (4 * ROUNDS, 4 * ROUNDS));
    }

    #[test]
    fn a_handoff_through_the_lock_is_seen_whole() {
        // Message passing: a writer fills a Vec under the lock, a reader
        // that sees the flag must see every element (happens-before from
        // the writer's unlock to the reader's lock).
        let m = Arc::new(Mutex::new((false, Vec::<u64>::new())));
        let w = {
            let m = m.clone();
            std::thread::spawn(move || {
                let mut g = m.lock();
                g.1.extend(0..64);
                g.0 = true;
            })
        };
        loop {
            let g = m.lock();
            if g.0 {
                assert_eq!(g.1, (0..64).collect::<Vec<_>>());
                break;
            }
            drop(g);
            std::thread::yield_now();
        }
        w.join().unwrap();
    }

    #[test]
    fn a_stamp_says_whether_anyone_has_held_the_lock_since() {
        let m = Arc::new(Mutex::new(0u32));
        let stamp = unlock_stamp(&m.lock());
        assert!(untouched_since(&m, stamp));
        assert!(untouched_since(&m, stamp), "looking changes nothing");
        // Held by another thread, then let go: both show.
        let (held, go) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let t = {
            let (m, held, go) = (m.clone(), held.clone(), go.clone());
            std::thread::spawn(move || {
                let _g = m.lock();
                held.store(1, Ordering::SeqCst);
                while go.load(Ordering::SeqCst) == 0 {
                    std::hint::spin_loop();
                }
            })
        };
        while held.load(Ordering::SeqCst) == 0 {
            std::hint::spin_loop();
        }
        assert!(!untouched_since(&m, stamp), "held now");
        go.store(1, Ordering::SeqCst);
        t.join().unwrap();
        assert!(!untouched_since(&m, stamp), "held and let go since");
        // A failed try does not count as holding it.
        let stamp = unlock_stamp(&m.lock());
        let g = m.lock();
        assert!(m.try_lock().is_none());
        let after = unlock_stamp(&g);
        drop(g);
        assert!(untouched_since(&m, after));
        assert_ne!(stamp, after);
    }

    #[test]
    fn try_lock_fails_while_held() {
        let m = Mutex::new(1);
        let g = m.lock();
        assert!(m.is_locked());
        assert!(m.try_lock().is_none());
        drop(g);
        assert!(!m.is_locked());
        assert!(m.try_lock().is_some());
    }

    #[test]
    fn waiters_past_the_spinning_phase_get_the_lock() {
        // Held long enough for every waiter to reach the sleeping phase
        // (the 220 spins and yields are over long before): each must still
        // take the lock once it is free, without anyone waking it.
        let m = Arc::new(Mutex::new(0u32));
        let started = Arc::new(AtomicUsize::new(0));
        let g = m.lock();
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                let (m, started) = (m.clone(), started.clone());
                std::thread::spawn(move || {
                    started.fetch_add(1, Ordering::SeqCst);
                    let mut g = m.lock();
                    *g += 1;
                })
            })
            .collect();
        while started.load(Ordering::SeqCst) < 3 {
            std::thread::yield_now();
        }
        std::thread::sleep(Duration::from_millis(30));
        // Nobody got in while it was held.
        assert_eq!(*g, 0);
        drop(g);
        for t in waiters {
            t.join().unwrap();
        }
        assert_eq!(*m.lock(), 3);
    }

    #[test]
    fn a_panic_while_held_releases_it_without_poisoning() {
        let m = Arc::new(Mutex::new(vec![1u8]));
        let m2 = m.clone();
        let r = std::thread::spawn(move || {
            let mut g = m2.lock();
            g.push(2);
            panic!("while holding the lock");
        })
        .join();
        assert!(r.is_err());
        // Unlocked by the guard's Drop during the unwind; what the holder
        // wrote before panicking is there (no rollback, no poison).
        assert!(!m.is_locked());
        assert_eq!(*m.try_lock().expect("released on unwind"), vec![1, 2]);
    }

    #[test]
    fn a_guard_may_be_released_on_another_thread() {
        // GuardSend: the lock has no owner thread, so a guard moved to
        // another thread unlocks it there.
        let m = Arc::new(Mutex::new(5));
        let g = m.lock();
        std::thread::scope(|s| {
            s.spawn(move || drop(g));
        });
        assert_eq!(*m.try_lock().expect("unlocked by the other thread"), 5);
    }
}
