//! A socket's signal: one eventfd, the `ZMQ_FD` of libzmq's API.
//!
//! It becomes readable when the socket may have become readable or writable
//! or has commands waiting. `signal` writes to the eventfd at most once until
//! the socket consumes the signal with `clear`, so a burst of messages costs
//! one syscall. Blocking calls, `zmq_poll` and external event loops all wait
//! on this fd.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

pub struct Signaler {
    fd: OwnedFd,
    pending: AtomicBool,
    /// Set when a peer pipe got new input for the socket; lets patterns
    /// that must look at every pipe (XPUB reading subscriptions) skip the
    /// scan when nothing came in.
    input: AtomicBool,
    /// A thread is about to wait (or waits) on the fd: only then does a
    /// signal need the eventfd write (the syscall is the cost).
    waiting: AtomicBool,
    /// The fd was handed to the application (`ZMQ_FD`) or to a proxy:
    /// someone may poll it at any time, so every signal writes.
    exported: AtomicBool,
    /// The waiter sleeps in poll(2) on the fd (or is about to): only then
    /// must a signal write it. While the waiter still spins on `pending`,
    /// setting the flag is enough and the eventfd write is saved.
    sleeping: AtomicBool,
    /// The eventfd was written since it was last drained (a signal raised
    /// while the waiter spun sets only `pending`: no read needed).
    written: AtomicBool,
    /// How long (ns) a waiter spins before it sleeps, learned from the
    /// waits before (see `adapt_spin`).
    spin_ns: AtomicU32,
    /// Thread-safe sockets only: the wakeup of every thread blocked in the
    /// socket and of the pollers that hold it (libzmq's `mailbox_safe_t`).
    shared: Option<Shared>,
}

/// Many waiters on one thread-safe socket. Every signal advances a
/// generation; a waiter reads it before it looks at the socket's state
/// and sleeps until it moves on, so a change after the look always wakes
/// it, and every waiter is woken (each then looks again: who can proceed
/// does). Pollers that hold the socket get their own fd written.
struct Shared {
    generation: AtomicU64,
    /// Threads in `wait_shared` (or about to sleep there).
    sleepers: AtomicUsize,
    lock: Mutex<()>,
    cond: Condvar,
    /// The signal fds of the pollers that hold this socket.
    pollers: Mutex<Vec<Arc<Signaler>>>,
    has_pollers: AtomicBool,
}

impl Shared {
    fn wake(&self) {
        // SeqCst pairs with `wait_shared`: it counts itself a sleeper, then
        // reads the generation; we advance it, then look for sleepers.
        self.generation.fetch_add(1, Ordering::SeqCst);
        if self.sleepers.load(Ordering::SeqCst) > 0 {
            // Taking the lock orders us after a sleeper's last look.
            drop(self.lock.lock().unwrap_or_else(|e| e.into_inner()));
            self.cond.notify_all();
        }
        if self.has_pollers.load(Ordering::SeqCst) {
            for p in self
                .pollers
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
            {
                p.force();
            }
        }
    }
}

impl Signaler {
    pub fn new() -> io::Result<Signaler> {
        Self::make(false)
    }

    /// The signaler of a thread-safe socket: several threads may wait.
    pub fn new_shared() -> io::Result<Signaler> {
        Self::make(true)
    }

    fn make(shared: bool) -> io::Result<Signaler> {
        // SAFETY: eventfd takes no pointers; the result is checked below.
        let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Signaler {
            // SAFETY: `fd` is a fresh descriptor that nothing else owns.
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
            pending: AtomicBool::new(false),
            input: AtomicBool::new(false),
            waiting: AtomicBool::new(false),
            exported: AtomicBool::new(false),
            sleeping: AtomicBool::new(false),
            written: AtomicBool::new(false),
            spin_ns: AtomicU32::new(spin_max_ns()),
            shared: shared.then(|| Shared {
                generation: AtomicU64::new(0),
                sleepers: AtomicUsize::new(0),
                lock: Mutex::new(()),
                cond: Condvar::new(),
                pollers: Mutex::new(Vec::new()),
                has_pollers: AtomicBool::new(false),
            }),
        })
    }

    /// Whether several threads may wait (a thread-safe socket's).
    pub fn is_shared(&self) -> bool {
        self.shared.is_some()
    }

    /// A thread-safe socket's waiter: the generation to pass to
    /// `wait_shared`, read before the waiter looks at the socket (0 for
    /// other signalers).
    pub fn token(&self) -> u64 {
        self.shared
            .as_ref()
            .map_or(0, |s| s.generation.load(Ordering::SeqCst))
    }

    /// Sleeps until a signal came after `token` was read, or `timeout_ms`
    /// passes (-1 = forever); false on timeout. No CPU is used meanwhile.
    pub fn wait_shared(&self, token: u64, timeout_ms: i32) -> bool {
        let Some(s) = &self.shared else {
            return false;
        };
        crate::msg::flush_released();
        let deadline =
            (timeout_ms >= 0).then(|| Instant::now() + Duration::from_millis(timeout_ms as u64));
        s.sleepers.fetch_add(1, Ordering::SeqCst);
        let mut g = s.lock.lock().unwrap_or_else(|e| e.into_inner());
        let woken = loop {
            if s.generation.load(Ordering::SeqCst) != token {
                break true;
            }
            match deadline {
                None => g = s.cond.wait(g).unwrap_or_else(|e| e.into_inner()),
                Some(d) => {
                    let left = d.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        break false;
                    }
                    g = s
                        .cond
                        .wait_timeout(g, left)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
            }
        };
        drop(g);
        s.sleepers.fetch_sub(1, Ordering::SeqCst);
        woken
    }

    /// A poller holds this (thread-safe) socket: every signal makes the
    /// poller's `fd` readable too (libzmq `add_signaler`).
    pub fn add_poller(&self, poller: Arc<Signaler>) {
        if let Some(s) = &self.shared {
            let mut v = s.pollers.lock().unwrap_or_else(|e| e.into_inner());
            v.push(poller);
            s.has_pollers.store(true, Ordering::SeqCst);
        }
    }

    /// The poller let go of this socket (libzmq `remove_signaler`).
    pub fn remove_poller(&self, poller: &Arc<Signaler>) {
        if let Some(s) = &self.shared {
            let mut v = s.pollers.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(i) = v.iter().position(|p| Arc::ptr_eq(p, poller)) {
                v.swap_remove(i);
            }
            s.has_pollers.store(!v.is_empty(), Ordering::SeqCst);
        }
    }

    pub fn fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// Announces a wait: call before checking the state the wait is for.
    /// (SeqCst pairs with the load in `signal`: either the waiter sees the
    /// new state, or the signaller sees the waiter.)
    pub fn arm(&self) {
        self.waiting.store(true, Ordering::SeqCst);
    }

    /// Announces a wait in poll(2) on the fd itself (`zmq_poll`): every
    /// signal writes the fd until `disarm`.
    pub fn arm_fd(&self) {
        self.sleeping.store(true, Ordering::SeqCst);
        self.waiting.store(true, Ordering::SeqCst);
    }

    pub fn disarm(&self) {
        if self.waiting.load(Ordering::Relaxed) {
            self.waiting.store(false, Ordering::Relaxed);
        }
        if self.sleeping.load(Ordering::Relaxed) {
            self.sleeping.store(false, Ordering::Relaxed);
        }
    }

    /// From now on every signal makes the fd readable.
    pub fn export(&self) {
        self.exported.store(true, Ordering::SeqCst);
    }

    /// Raises the signal (once per `clear`) when someone may wait; the fd
    /// is written only when someone may be polling it.
    pub fn signal(&self) {
        if let Some(s) = &self.shared {
            s.wake();
        }
        if !self.waiting.load(Ordering::SeqCst) && !self.exported.load(Ordering::Relaxed) {
            return;
        }
        // SeqCst pairs with `wait`: it sets `sleeping` then looks at
        // `pending`; we set `pending` then look at `sleeping`.
        if !self.pending.swap(true, Ordering::SeqCst)
            && (self.sleeping.load(Ordering::SeqCst) || self.exported.load(Ordering::Relaxed))
        {
            self.write_fd();
        }
    }

    /// Makes the fd readable whoever waits (termination).
    pub fn force(&self) {
        self.pending.store(true, Ordering::SeqCst);
        self.write_fd();
        if let Some(s) = &self.shared {
            s.wake();
        }
    }

    fn write_fd(&self) {
        let one: u64 = 1;
        // SAFETY: writes 8 bytes from a live local; the fd is owned by self.
        let _ = unsafe {
            libc::write(
                self.fd.as_raw_fd(),
                &one as *const u64 as *const libc::c_void,
                8,
            )
        };
        // After the write: whoever sees the flag finds the count to drain.
        // (A waiter woken by the write may look before this store: `wait`
        // empties a readable fd itself.)
        self.written.store(true, Ordering::SeqCst);
    }

    /// Signals new input (see `input`).
    pub fn signal_input(&self) {
        self.note_input();
        self.signal();
    }

    /// The `input` half of `signal_input`.
    pub fn note_input(&self) {
        // Stored only when it changes: a reader that never takes the flag
        // (most patterns) leaves it set, and the line stays shared.
        if !self.input.load(Ordering::Relaxed) {
            self.input.store(true, Ordering::Release);
        }
    }

    /// Whether a `signal` now would do anything: someone waits or may
    /// (armed, the fd handed out, a thread-safe socket's waiters). A pipe
    /// asks holding its queue's lock, right after changing the queue, and
    /// signals (or not) after letting it go: a waiter that armed before
    /// the ask is seen (SeqCst, as in `signal`); one that arms after it
    /// looks at the queue after the change (`arm`).
    pub fn may_need_signal(&self) -> bool {
        self.shared.is_some()
            || self.waiting.load(Ordering::SeqCst)
            || self.exported.load(Ordering::Relaxed)
    }

    /// Whether input came since the last call (and forgets it).
    pub fn take_input(&self) -> bool {
        self.input.load(Ordering::Acquire) && self.input.swap(false, Ordering::AcqRel)
    }

    /// Consumes the signal. Callers check their state after this, so a
    /// signal raised after the check makes the fd readable again.
    pub fn clear(&self) {
        if self.pending.load(Ordering::Acquire) {
            self.pending.store(false, Ordering::SeqCst);
        }
        self.drain();
    }

    /// Empties the eventfd if a signal wrote it (a signal raised while the
    /// waiter spun set only `pending`: no syscall then).
    fn drain(&self) {
        if !self.written.load(Ordering::Acquire) || !self.written.swap(false, Ordering::AcqRel) {
            return;
        }
        self.read_fd();
    }

    fn read_fd(&self) {
        let mut v: u64 = 0;
        // SAFETY: reads 8 bytes into a live local; the fd is non-blocking.
        let _ = unsafe {
            libc::read(
                self.fd.as_raw_fd(),
                &mut v as *mut u64 as *mut libc::c_void,
                8,
            )
        };
    }

    /// Waits until the fd is readable or `timeout_ms` passes (-1 = forever).
    /// Returns false on timeout; `Err(EINTR)` when a signal interrupted.
    /// With `spin` false the waiter sleeps at once, as libzmq's do (the
    /// caller knows a quick answer is not expected).
    pub fn wait(&self, timeout_ms: i32, spin: bool) -> io::Result<bool> {
        // A reply often comes within microseconds: watch the flag briefly
        // before sleeping, which saves the wakeup's latency (DESIGN.md,
        // "a short spin before parking").
        let start = Instant::now();
        let spin = spin && timeout_ms != 0;
        if spin {
            let budget = Duration::from_nanos(self.spin_ns.load(Ordering::Relaxed).into());
            if spin_until(start, budget, || self.pending.load(Ordering::Acquire)) {
                return Ok(true);
            }
        }
        // Nothing this thread released stays pinned while it sleeps.
        crate::msg::flush_released();
        // From here a signal must write the fd; a signal that came just
        // before is seen in `pending`.
        self.sleeping.store(true, Ordering::SeqCst);
        if self.pending.load(Ordering::SeqCst) {
            self.sleeping.store(false, Ordering::Relaxed);
            return Ok(true);
        }
        let mut pfd = libc::pollfd {
            fd: self.fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd on the stack, count 1.
        let rc = unsafe { libc::poll(&mut pfd, 1, timeout_ms) };
        let err = io::Error::last_os_error();
        self.sleeping.store(false, Ordering::Relaxed);
        if rc < 0 {
            return Err(err);
        }
        if spin {
            self.adapt_spin(rc > 0, start.elapsed());
        }
        if rc > 0 && !self.pending.load(Ordering::Acquire) {
            // A write that raced a `clear`: empty the fd, or the next wait
            // would return at once, again and again. Whatever `written`
            // says: a signaller preempted between its write and setting
            // the flag (by the very thread it woke, on the same core) left
            // that thread polling in a loop until the next signal (400 000
            // polls in 2 s for a paced stream, once pipes woke readers
            // after unlocking their queues, which no longer held the woken
            // thread back until the signaller was done).
            self.written.store(false, Ordering::SeqCst);
            self.read_fd();
        }
        Ok(rc > 0)
    }
}

/// The longest a waiter spins before it sleeps, by default: about the
/// wakeup cost it saves (a reply often comes within microseconds).
const SPIN_MAX_NS: u32 = 50_000;

/// The environment variable that sets the longest spin, in microseconds
/// (0 = never spin: every wait sleeps at once, as libzmq's do; at most
/// 1000). Read once per process.
pub const ENV_SPIN_US: &str = "MONOCOQUE_SPIN_US";

/// Whether waiters may spin at all (`MONOCOQUE_SPIN_US` is not 0): a
/// user who turned spinning off gets no spinning pause anywhere.
pub fn spinning() -> bool {
    spin_max_ns() > 0
}

/// The longest spin: `MONOCOQUE_SPIN_US` when set to a number, else
/// `SPIN_MAX_NS`.
fn spin_max_ns() -> u32 {
    static MAX: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *MAX.get_or_init(|| parse_spin_us(std::env::var(ENV_SPIN_US).ok().as_deref()))
}

/// `MONOCOQUE_SPIN_US`'s value in nanoseconds; unset or not a number
/// gives the default, a number above 1000 µs counts as 1000.
fn parse_spin_us(v: Option<&str>) -> u32 {
    match v.map(str::trim).and_then(|v| v.parse::<u32>().ok()) {
        Some(us) => us.min(1000) * 1000,
        None => SPIN_MAX_NS,
    }
}

impl Signaler {
    /// Learns the spin from a wait that ended asleep (after `waited`,
    /// spin included; `woken` false on a timeout). A wake within a few
    /// spins' time says spinning may catch the next one (a peer answering
    /// in microseconds, or one that itself spins: two spinning peers
    /// answer faster than two sleeping ones), so the full spin is tried
    /// again. A timeout or a long wait (an idle peer, a slow server) says
    /// spinning only burnt CPU that others could use: the spin is halved,
    /// down to none, until waits turn short again.
    fn adapt_spin(&self, woken: bool, waited: Duration) {
        let old = self.spin_ns.load(Ordering::Relaxed);
        let max = spin_max_ns();
        let new = if woken && max > 0 && waited.as_nanos() < u128::from(max) * SHORT_WAIT_SPINS {
            max
        } else {
            old / 2
        };
        if new != old {
            self.spin_ns.store(new, Ordering::Relaxed);
        }
    }
}

/// A wait up to this many longest spins counts as short (see `adapt_spin`).
const SHORT_WAIT_SPINS: u128 = 4;

/// Spins until `ready` or `budget` has passed since `start`; true when
/// ready. Between looks it yields the CPU, so on a busy machine the
/// threads it waits for run (a pure busy-wait starves them when threads
/// outnumber cores).
fn spin_until(start: Instant, budget: Duration, ready: impl Fn() -> bool) -> bool {
    loop {
        for _ in 0..16 {
            if ready() {
                return true;
            }
            std::hint::spin_loop();
        }
        if start.elapsed() >= budget {
            return ready();
        }
        std::thread::yield_now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spin(s: &Signaler) -> u32 {
        s.spin_ns.load(Ordering::Relaxed)
    }

    #[test]
    fn the_spin_stops_for_long_waits_and_comes_back_for_short_ones() {
        let s = Signaler::new().unwrap();
        assert_eq!(spin(&s), SPIN_MAX_NS);
        // Timeouts (an idle peer): halved each time, down to none.
        s.arm();
        for _ in 0..20 {
            assert!(!s.wait(1, true).unwrap());
        }
        assert_eq!(spin(&s), 0);
        // A wake long after (a slow peer): stays off.
        s.adapt_spin(true, Duration::from_millis(5));
        assert_eq!(spin(&s), 0);
        // A wake soon after the (absent) spin: the full spin is tried again.
        s.adapt_spin(true, Duration::from_micros(30));
        assert_eq!(spin(&s), SPIN_MAX_NS);
        s.adapt_spin(true, Duration::from_micros(150));
        assert_eq!(spin(&s), SPIN_MAX_NS);
        s.adapt_spin(true, Duration::from_micros(250));
        assert_eq!(spin(&s), SPIN_MAX_NS / 2);
    }

    #[test]
    fn a_wait_told_not_to_spin_learns_nothing_from_its_sleep() {
        let s = Signaler::new().unwrap();
        s.arm();
        // A timeout halves the spin only of a wait that spun.
        assert!(!s.wait(1, false).unwrap());
        assert_eq!(spin(&s), SPIN_MAX_NS);
        assert!(!s.wait(1, true).unwrap());
        assert_eq!(spin(&s), SPIN_MAX_NS / 2);
    }

    #[test]
    fn the_longest_spin_comes_from_the_environment_in_microseconds() {
        assert_eq!(parse_spin_us(None), SPIN_MAX_NS);
        assert_eq!(parse_spin_us(Some("0")), 0);
        assert_eq!(parse_spin_us(Some(" 20 ")), 20_000);
        assert_eq!(parse_spin_us(Some("5000")), 1_000_000);
        assert_eq!(parse_spin_us(Some("fast")), SPIN_MAX_NS);
        assert_eq!(parse_spin_us(Some("-1")), SPIN_MAX_NS);
    }

    #[test]
    fn a_signal_wakes_a_waiter_whose_spin_is_off() {
        let s = std::sync::Arc::new(Signaler::new().unwrap());
        s.arm();
        for _ in 0..20 {
            assert!(!s.wait(1, true).unwrap());
        }
        assert_eq!(spin(&s), 0);
        let t = {
            let s = s.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(20));
                s.signal();
            })
        };
        assert!(s.wait(10_000, true).unwrap());
        t.join().unwrap();
    }

    #[test]
    fn unarmed_signals_skip_the_syscall() {
        let s = Signaler::new().unwrap();
        s.signal();
        assert!(!s.wait(0, true).unwrap());
        s.arm();
        s.signal();
        assert!(s.wait(0, true).unwrap());
    }

    #[test]
    fn a_shared_waiter_sees_a_signal_made_after_its_token() {
        let s = Signaler::new_shared().unwrap();
        let t = s.token();
        // No signal since the token: the wait times out.
        assert!(!s.wait_shared(t, 0));
        // A signal between the look and the sleep is not lost.
        s.signal();
        assert!(s.wait_shared(t, -1));
        assert!(!s.wait_shared(s.token(), 0));
    }

    #[test]
    fn every_shared_waiter_wakes() {
        let s = Arc::new(Signaler::new_shared().unwrap());
        let t = s.token();
        let waiters: Vec<_> = (0..4)
            .map(|_| {
                let s = s.clone();
                std::thread::spawn(move || s.wait_shared(t, -1))
            })
            .collect();
        s.signal();
        for w in waiters {
            assert!(w.join().unwrap());
        }
    }

    #[test]
    fn a_poller_fd_is_written_by_every_signal_of_a_shared_socket() {
        let sock = Signaler::new_shared().unwrap();
        let poller = Arc::new(Signaler::new().unwrap());
        poller.export();
        sock.add_poller(poller.clone());
        assert!(!poller.wait(0, true).unwrap());
        sock.signal();
        assert!(poller.wait(0, true).unwrap());
        poller.clear();
        assert!(!poller.wait(0, true).unwrap());
        sock.remove_poller(&poller);
        sock.signal();
        assert!(!poller.wait(0, true).unwrap());
    }

    #[test]
    fn signal_then_clear() {
        let s = Signaler::new().unwrap();
        s.export();
        assert!(!s.wait(0, true).unwrap());
        s.signal();
        s.signal();
        assert!(s.wait(0, true).unwrap());
        s.clear();
        assert!(!s.wait(0, true).unwrap());
    }
}
