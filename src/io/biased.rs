//! The socket-state lock: a mutex that the one thread using a socket takes
//! without an atomic read-modify-write.
//!
//! Every API call locks its socket's state. With `io::lock`'s mutex that is
//! one `lock cmpxchg` per call, and the instruction waits for every store
//! the thread has made to leave its store buffer: stores into the pipe the
//! I/O thread reads, into the message C just filled. Taken away (an
//! experiment with no lock at all), small messages went 4–19 % faster
//! (`perf/compare`, tcp 1 B and 64 B, inproc 64 B). But a socket handle
//! may be used from any thread, at once by mistake, and must stay memory
//! safe then; so the lock stays, biased:
//!
//! - A thread that took the lock the slow way (the mutex) `rebias_at`
//!   times in a row becomes the lock's owner. From then on it enters by
//!   announcing itself (`busy`, a plain store) and checking that it is
//!   still the owner: no read-modify-write, no fence.
//! - Any other thread takes the mutex, then revokes the bias: it clears
//!   `owner`, makes every thread of the process execute a full memory
//!   barrier (`membarrier(2)`, `MEMBARRIER_CMD_PRIVATE_EXPEDITED`), and
//!   waits until the owner is not inside. After the barrier the owner
//!   either is seen inside (its `busy` store is visible), or will see that
//!   it is no longer the owner when it checks (the cleared `owner` is
//!   visible to it), and then takes the mutex like anyone else. This is
//!   the asymmetric form of Dekker's exclusion: the barrier the fast path
//!   would need on every call is paid by the rare revoker instead.
//! - A revocation costs the revoker microseconds, so each one doubles the
//!   run of slow takes that earns the bias back: a socket passed between
//!   threads all the time stays unbiased (one `cmpxchg` per call, as
//!   before).
//!
//! Without `membarrier` (an old kernel, a seccomp filter) nothing is ever
//! biased. Under Miri, which knows no `membarrier`, both sides use SeqCst
//! fences instead: the same exclusion in the language's memory model, so
//! Miri checks the protocol (tests below).
//!
//! `try_lock` never revokes: it fails while another thread owns the bias
//! (it serves log lines). `try_lock_revoking` revokes a bias whose owner
//! is not inside, and never waits: an I/O thread runs a
//! publish-subscribe socket's commands with it (a new connection gets its
//! subscriptions while the application is busy elsewhere), a revocation
//! per connection.

use super::lock::RawLock;
use lock_api::RawMutex as _;
use std::cell::{Cell, UnsafeCell};
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

/// Slow takes in a row that earn the bias the first time.
const FIRST_REBIAS: u32 = 64;
/// The most a run may have to be after revocations.
const MAX_REBIAS: u32 = 1 << 20;

pub struct BiasedMutex<T> {
    raw: RawLock,
    /// The thread the lock is biased to (`thread_token`), 0 when none.
    /// Changed only by a thread holding `raw`.
    owner: AtomicU64,
    /// The owner is inside by the fast path.
    busy: AtomicBool,
    /// Whether this lock may be biased at all.
    biasable: bool,
    /// The thread that took `raw` last, how many times in a row, and how
    /// many it takes to be biased (all changed only holding `raw`).
    last: AtomicU64,
    streak: AtomicU32,
    rebias_at: AtomicU32,
    data: UnsafeCell<T>,
}

// SAFETY: the data is reached only through a guard, and a guard exists
// only while its thread holds the lock (the mutex, or the bias with `busy`
// set and `owner` naming it); the exclusion argument is in the module
// header. `T: Send` because the data is used from whichever thread holds
// the lock.
unsafe impl<T: Send> Send for BiasedMutex<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Sync for BiasedMutex<T> {}

/// This thread's token: never 0, never reused by another thread (a thread
/// that exits and a new one cannot be mistaken for each other). 0 when the
/// thread is exiting (it then never takes the fast path).
fn thread_token() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    thread_local! {
        static TOKEN: Cell<u64> = const { Cell::new(0) };
    }
    TOKEN
        .try_with(|t| {
            if t.get() == 0 {
                t.set(NEXT.fetch_add(1, Ordering::Relaxed));
            }
            t.get()
        })
        .unwrap_or(0)
}

/// Whether this process can make other threads execute a barrier
/// (registered once; the answer never changes).
fn can_revoke() -> bool {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    *REGISTERED.get_or_init(|| cfg!(miri) || super::sys::membarrier_register())
}

/// The fast path's side of the exclusion: orders its `busy` store before
/// its second look at `owner`.
#[inline(always)]
fn light_barrier() {
    if cfg!(miri) {
        std::sync::atomic::fence(Ordering::SeqCst);
    } else {
        // The revoker's membarrier orders the two at the hardware level;
        // the compiler must not move them.
        std::sync::atomic::compiler_fence(Ordering::SeqCst);
    }
}

/// The revoker's side: after this, every thread's earlier stores are
/// visible and its later loads see the revoker's earlier stores. False
/// when the system refused (see `sys::membarrier`).
fn heavy_barrier() -> bool {
    if cfg!(miri) {
        std::sync::atomic::fence(Ordering::SeqCst);
        true
    } else {
        super::sys::membarrier()
    }
}

impl<T> BiasedMutex<T> {
    /// A lock that may be biased when `biasable` and the system allows it.
    pub fn new(data: T, biasable: bool) -> Self {
        BiasedMutex {
            raw: <RawLock as lock_api::RawMutex>::INIT,
            owner: AtomicU64::new(0),
            busy: AtomicBool::new(false),
            biasable: biasable && can_revoke(),
            last: AtomicU64::new(0),
            streak: AtomicU32::new(0),
            rebias_at: AtomicU32::new(FIRST_REBIAS),
            data: UnsafeCell::new(data),
        }
    }

    /// Takes the lock (spinning, then sleeping, as `io::lock` does; never
    /// reentrant: a second lock on one thread panics or never returns).
    #[inline]
    pub fn lock(&self) -> BiasedGuard<'_, T> {
        if let Some(g) = self.enter_biased() {
            return g;
        }
        self.lock_slow()
    }

    /// Takes the lock if it is free now (`None` also while another
    /// thread owns the bias).
    pub fn try_lock(&self) -> Option<BiasedGuard<'_, T>> {
        self.try_enter(false)
    }

    /// As `try_lock`, but a bias held by another thread that is not
    /// inside is taken away (a heavy barrier, microseconds: for rare
    /// events, such as an I/O thread attaching a connection to a
    /// publish-subscribe socket). Never waits: `None` while the lock is
    /// held, the bias's owner included, which keeps its bias then.
    pub fn try_lock_revoking(&self) -> Option<BiasedGuard<'_, T>> {
        self.try_enter(true)
    }

    fn try_enter(&self, revoke: bool) -> Option<BiasedGuard<'_, T>> {
        if let Some(g) = self.enter_biased() {
            return Some(g);
        }
        if !self.raw.try_lock() {
            return None;
        }
        let owner = self.owner.load(Ordering::Relaxed);
        let free = if owner == 0 {
            true
        } else if owner == thread_token() {
            // Biased to this thread while it is inside: a second, nested
            // hold, refused as the mutex would refuse it.
            !self.busy.load(Ordering::Relaxed)
        } else {
            // Biased to another thread.
            revoke && self.try_revoke()
        };
        if !free {
            // SAFETY: taken just above by this thread.
            unsafe { self.raw.unlock() };
            return None;
        }
        self.count_slow_take();
        Some(BiasedGuard::new(self, false))
    }

    /// Holding `raw`: takes the bias from its owner unless the owner is
    /// inside. After the barrier the owner is either seen inside, or it
    /// sees the cleared `owner` and goes the slow way (waiting for `raw`,
    /// which this thread holds). Seen inside, or on its way out of a fast
    /// entry it gave up, the owner gets its bias back before `raw` is
    /// released: nobody else can have entered meanwhile, so the state is
    /// the one before this call.
    #[cold]
    fn try_revoke(&self) -> bool {
        let owner = self.owner.swap(0, Ordering::Relaxed);
        // Acquire: if the owner is out, its last section happened before
        // ours.
        if !heavy_barrier() || self.busy.load(Ordering::Acquire) {
            self.owner.store(owner, Ordering::Relaxed);
            return false;
        }
        self.rebias_later();
        true
    }

    /// The fast path: `Some` when this thread owns the bias.
    #[inline(always)]
    fn enter_biased(&self) -> Option<BiasedGuard<'_, T>> {
        if !self.biasable {
            return None;
        }
        let me = thread_token();
        // (`busy` already set: this thread is inside; the slow path
        // reports the second lock.)
        if me == 0 || self.owner.load(Ordering::Relaxed) != me || self.busy.load(Ordering::Relaxed)
        {
            return None;
        }
        self.busy.store(true, Ordering::Relaxed);
        light_barrier();
        // Still the owner after announcing: no revoker can be past its
        // wait (it would see `busy`), and the next one will wait for us.
        // Whatever the lock's earlier holders wrote happened before this
        // thread's slow take that earned the bias.
        if self.owner.load(Ordering::Acquire) == me {
            return Some(BiasedGuard::new(self, true));
        }
        self.busy.store(false, Ordering::Release);
        None
    }

    #[cold]
    fn lock_slow(&self) -> BiasedGuard<'_, T> {
        self.raw.lock();
        let owner = self.owner.load(Ordering::Relaxed);
        let me = thread_token();
        if owner == me && me != 0 {
            // This thread owns the bias and came the slow way: only
            // because it is already inside.
            if self.busy.load(Ordering::Relaxed) {
                // SAFETY: taken just above by this thread.
                unsafe { self.raw.unlock() };
                panic!("a socket's lock taken twice by one thread");
            }
        } else if owner != 0 {
            self.revoke();
        }
        self.count_slow_take();
        BiasedGuard::new(self, false)
    }

    /// Holding `raw`: takes the bias from its owner (see the header).
    #[cold]
    fn revoke(&self) {
        let owner = self.owner.swap(0, Ordering::Relaxed);
        if !heavy_barrier() {
            // Nothing proves the owner is out: the bias stays, the mutex
            // is released, and this call fails (the boundary turns the
            // panic into an error). Cannot happen once registered.
            self.owner.store(owner, Ordering::Relaxed);
            // SAFETY: held by this thread since `lock_slow` took it.
            unsafe { self.raw.unlock() };
            panic!("membarrier failed: the socket's lock cannot change threads");
        }
        let mut round = 0u32;
        // Acquire: the owner's last section happened before ours.
        while self.busy.load(Ordering::Acquire) {
            round = round.saturating_add(1);
            match round {
                0..=200 => std::hint::spin_loop(),
                201..=220 => std::thread::yield_now(),
                _ => std::thread::sleep(Duration::from_micros(50)),
            }
        }
        self.rebias_later();
    }

    /// Holding `raw`, after a revocation: the run that earns the bias back
    /// doubles.
    fn rebias_later(&self) {
        let at = self.rebias_at.load(Ordering::Relaxed);
        self.rebias_at
            .store(at.saturating_mul(2).min(MAX_REBIAS), Ordering::Relaxed);
        self.streak.store(0, Ordering::Relaxed);
    }

    /// Holding `raw`: a thread that took it enough times in a row gets
    /// the bias.
    fn count_slow_take(&self) {
        if !self.biasable {
            return;
        }
        let me = thread_token();
        if me == 0 {
            return;
        }
        if self.last.load(Ordering::Relaxed) != me {
            self.last.store(me, Ordering::Relaxed);
            self.streak.store(1, Ordering::Relaxed);
            return;
        }
        let streak = self.streak.load(Ordering::Relaxed).saturating_add(1);
        self.streak.store(streak, Ordering::Relaxed);
        if streak >= self.rebias_at.load(Ordering::Relaxed) {
            self.owner.store(me, Ordering::Relaxed);
        }
    }

    /// Whether the lock is biased to the calling thread (tests).
    #[cfg(test)]
    pub fn biased_to_me(&self) -> bool {
        self.owner.load(Ordering::Relaxed) == thread_token()
    }

    /// Whether some thread holds the lock now (tests and log lines).
    #[cfg(test)]
    fn is_held(&self) -> bool {
        self.raw.is_locked() || self.busy.load(Ordering::Relaxed)
    }
}

/// Access to the data while the lock is held; released when dropped, on
/// the thread that took it (a biased hold belongs to its thread).
pub struct BiasedGuard<'a, T> {
    lock: &'a BiasedMutex<T>,
    biased: bool,
    _not_send: PhantomData<*const ()>,
}

impl<'a, T> BiasedGuard<'a, T> {
    fn new(lock: &'a BiasedMutex<T>, biased: bool) -> Self {
        BiasedGuard {
            lock,
            biased,
            _not_send: PhantomData,
        }
    }
}

impl<T> Drop for BiasedGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        if self.biased {
            // Release: a revoker that sees this sees the section whole.
            self.lock.busy.store(false, Ordering::Release);
        } else {
            // SAFETY: this guard was made by a successful `raw` lock on
            // this thread, and is dropped once.
            unsafe { self.lock.raw.unlock() };
        }
    }
}

impl<T> Deref for BiasedGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the lock (see `Send`/`Sync` above), so
        // no other reference to the data exists meanwhile.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T> DerefMut for BiasedGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes this the only borrow.
        unsafe { &mut *self.lock.data.get() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;

    const ROUNDS: u64 = if cfg!(miri) { 300 } else { 20_000 };

    /// Two fields updated apart under the lock (`pause` between them): a
    /// broken exclusion shows as a torn pair or a lost increment.
    fn bump(pair: &mut (u64, u64), pause: bool) {
        pair.0 += 1;
        if pause {
            std::thread::yield_now();
        }
        assert_eq!(pair.0, pair.1 + 1, "another holder got in");
        pair.1 += 1;
    }

    #[test]
    fn one_thread_earns_the_bias_and_loses_it_to_another() {
        let m = Arc::new(BiasedMutex::new(0u64, true));
        for _ in 0..FIRST_REBIAS + 2 {
            *m.lock() += 1;
        }
        let me = thread_token();
        assert_eq!(m.owner.load(Ordering::Relaxed), me, "biased after a run");
        let g = m.lock();
        assert!(g.biased && m.is_held());
        drop(g);
        assert!(!m.is_held());
        // Another thread revokes; the run needed next time doubles.
        let m2 = m.clone();
        std::thread::spawn(move || *m2.lock() += 1).join().unwrap();
        assert_eq!(m.owner.load(Ordering::Relaxed), 0);
        assert_eq!(m.rebias_at.load(Ordering::Relaxed), 2 * FIRST_REBIAS);
        let g = m.lock();
        assert!(!g.biased);
        assert_eq!(*g, u64::from(FIRST_REBIAS) + 3);
    }

    #[test]
    fn an_unbiasable_lock_is_never_biased() {
        let m = BiasedMutex::new(0u32, false);
        for _ in 0..FIRST_REBIAS * 3 {
            let g = m.lock();
            assert!(!g.biased);
        }
        assert_eq!(m.owner.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn try_lock_fails_while_held_or_biased_elsewhere() {
        let m = Arc::new(BiasedMutex::new(1, true));
        let g = m.lock();
        assert!(m.try_lock().is_none());
        drop(g);
        assert!(m.try_lock().is_some());
        // Biased to another thread (which then waits): try_lock neither
        // revokes nor gets in.
        let (m2, ready) = (m.clone(), Arc::new(AtomicBool::new(false)));
        let (r2, stop) = (ready.clone(), Arc::new(AtomicBool::new(false)));
        let s2 = stop.clone();
        let t = std::thread::spawn(move || {
            for _ in 0..FIRST_REBIAS + 1 {
                drop(m2.lock());
            }
            r2.store(true, Ordering::SeqCst);
            while !s2.load(Ordering::SeqCst) {
                std::thread::yield_now();
            }
        });
        while !ready.load(Ordering::SeqCst) {
            std::thread::yield_now();
        }
        assert!(m.try_lock().is_none());
        assert_ne!(m.owner.load(Ordering::Relaxed), 0);
        stop.store(true, Ordering::SeqCst);
        t.join().unwrap();
        // The owner is gone: lock revokes and gets in.
        assert_eq!(*m.lock(), 1);
    }

    #[test]
    fn try_lock_revoking_takes_the_bias_only_from_an_owner_outside() {
        let m = Arc::new(BiasedMutex::new(0u64, true));
        let (to_owner, owner_rx) = std::sync::mpsc::channel::<bool>();
        let (inside_tx, inside) = std::sync::mpsc::channel::<()>();
        let (out_tx, out) = std::sync::mpsc::channel::<()>();
        let m2 = m.clone();
        // The owner earns the bias, then enters and stays inside until
        // told to leave (true), or leaves at once (false); it says when it
        // is in and when it is out again.
        let t = std::thread::spawn(move || {
            for _ in 0..FIRST_REBIAS + 1 {
                *m2.lock() += 1;
            }
            while let Ok(stay) = owner_rx.recv() {
                let g = m2.lock();
                assert!(g.biased, "still the owner");
                inside_tx.send(()).unwrap();
                if stay {
                    owner_rx.recv().unwrap();
                }
                drop(g);
                out_tx.send(()).unwrap();
            }
        });
        to_owner.send(true).unwrap();
        inside.recv().unwrap();
        let owner = m.owner.load(Ordering::Relaxed);
        assert_ne!(owner, 0);
        assert!(m.try_lock_revoking().is_none(), "the owner is inside");
        assert_eq!(m.owner.load(Ordering::Relaxed), owner, "its bias kept");
        assert_eq!(m.rebias_at.load(Ordering::Relaxed), FIRST_REBIAS);
        // Out (told to leave), then in and out once more: the bias still
        // works for it.
        to_owner.send(false).unwrap();
        out.recv().unwrap();
        to_owner.send(false).unwrap();
        inside.recv().unwrap();
        out.recv().unwrap();
        let mut g = m.try_lock_revoking().expect("the owner is out");
        assert!(!g.biased);
        *g += 1;
        drop(g);
        assert_eq!(m.owner.load(Ordering::Relaxed), 0, "revoked");
        assert_eq!(m.rebias_at.load(Ordering::Relaxed), 2 * FIRST_REBIAS);
        drop(to_owner);
        t.join().unwrap();
        assert_eq!(*m.lock(), u64::from(FIRST_REBIAS) + 2);
    }

    #[test]
    fn try_lock_revoking_never_lets_two_in() {
        // As `biased_and_slow_holders_exclude_each_other`, with the other
        // thread using `try_lock_revoking` (an I/O thread's commands): it
        // gets in only when nobody is, the owner's bias given back when
        // it is refused.
        let m = Arc::new(BiasedMutex::new((0u64, 0u64), true));
        let done = Arc::new(AtomicBool::new(false));
        let owner = {
            let (m, done) = (m.clone(), done.clone());
            std::thread::spawn(move || {
                let mut n = 0u64;
                while !done.load(Ordering::SeqCst) || n < ROUNDS {
                    bump(&mut m.lock(), n.is_multiple_of(7));
                    n += 1;
                }
                n
            })
        };
        let mut got = 0u64;
        for _ in 0..ROUNDS / 20 {
            if let Some(mut g) = m.try_lock_revoking() {
                bump(&mut g, false);
                got += 1;
            }
            std::thread::yield_now();
        }
        done.store(true, Ordering::SeqCst);
        let n = owner.join().unwrap();
        assert_eq!(*m.lock(), (n + got, n + got));
    }

    #[test]
    fn biased_and_slow_holders_exclude_each_other() {
        // A pair updated apart inside the lock: a torn view or a lost
        // increment shows a broken exclusion. One thread earns the bias and
        // keeps using the lock; the others take it now and then, revoking.
        // Under Miri a missing happens-before is reported as a data race.
        let m = Arc::new(BiasedMutex::new((0u64, 0u64), true));
        let slow_takes = Arc::new(AtomicUsize::new(0));
        let owner = {
            let m = m.clone();
            std::thread::spawn(move || {
                for _ in 0..ROUNDS {
                    bump(&mut m.lock(), false);
                }
            })
        };
        let others: Vec<_> = (0..2)
            .map(|_| {
                let (m, n) = (m.clone(), slow_takes.clone());
                std::thread::spawn(move || {
                    for _ in 0..ROUNDS / 50 {
                        bump(&mut m.lock(), false);
                        n.fetch_add(1, Ordering::Relaxed);
                        for _ in 0..50 {
                            std::hint::spin_loop();
                        }
                    }
                })
            })
            .collect();
        owner.join().unwrap();
        for t in others {
            t.join().unwrap();
        }
        let total = ROUNDS + 2 * (ROUNDS / 50);
        assert_eq!(*m.lock(), (total, total));
    }

    #[test]
    fn a_revoker_waits_for_the_owner_inside() {
        // The owner holds the biased lock across a yield, between two
        // halves of an update; the other thread revokes each time the bias
        // is back. Without the revoker's wait it would get in between the
        // halves (natively an assertion fails; under Miri, a data race).
        let m = Arc::new(BiasedMutex::new((0u64, 0u64), true));
        let done = Arc::new(AtomicBool::new(false));
        let revocations = 3;
        let owner = {
            let (m, done) = (m.clone(), done.clone());
            std::thread::spawn(move || {
                let mut n = 0u64;
                while !done.load(Ordering::SeqCst) {
                    bump(&mut m.lock(), true);
                    n += 1;
                }
                n
            })
        };
        for _ in 0..revocations {
            while m.owner.load(Ordering::SeqCst) == 0 {
                std::thread::yield_now();
            }
            let mut g = m.lock();
            assert!(!g.biased);
            assert_eq!(g.0, g.1, "the owner is not inside");
            g.0 += 1;
            g.1 += 1;
        }
        done.store(true, Ordering::SeqCst);
        let n = owner.join().unwrap();
        assert_eq!(*m.lock(), (n + revocations, n + revocations));
    }

    #[test]
    fn a_second_lock_on_the_owning_thread_panics() {
        let m = BiasedMutex::new(0u8, true);
        for _ in 0..FIRST_REBIAS + 1 {
            drop(m.lock());
        }
        let g = m.lock();
        assert!(g.biased);
        assert!(m.try_lock().is_none(), "a nested try_lock is refused");
        let second = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(m.lock())));
        assert!(second.is_err());
        drop(g);
        // Still usable after the refused second lock.
        *m.lock() += 1;
        assert_eq!(*m.lock(), 1);
    }
}
