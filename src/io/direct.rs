//! Direct writes: the application thread sends a message straight to an
//! idle connection's socket, saving the wakeup of an I/O thread (DESIGN.md,
//! "Speed": latency is the number of threads woken per message).
//!
//! Ownership of the connection's write side moves between the application
//! thread and the write pump through one flag, `busy`: whoever sets it
//! writes, and only when the pump has nothing queued or in flight does the
//! application try. A partial write leaves its tail in `spill`, which the
//! pump sends before anything else, so bytes never interleave or reorder.
//!
//! # Locking
//!
//! What is held when the application thread calls `send(2)` here, outermost
//! first:
//!
//! 1. the socket's state mutex (`Socket::lock`, taken by `Socket::send`);
//! 2. `busy`, taken with a single compare-exchange that never waits: when
//!    the pump holds it, `write_admitted` returns `Refused` and the message
//!    is queued;
//! 3. CURVE: the cipher's mutex (`CurveTx`, shared with the pump), taken
//!    under `busy` to seal the message. The pump takes it only holding
//!    `busy` too (after releasing the queue), so it is never contended
//!    while both sides exist; it exists because both sides own the cipher.
//!    Sealing and writing under the one `busy` keeps the nonces in wire
//!    order: a box sealed here reaches the kernel (or `spill`, which the
//!    pump sends first) before the pump can seal the next.
//!
//! Not the pipe queue's mutex: the writer asks `admits` under it (nothing
//! queued before this message, not part of a burst; no syscall), lets it go
//! for the write (`pipe::end::write_direct`) and takes it again to count
//! the message. Nothing can be queued meanwhile (the writing thread is the
//! queue's only writer), and the pump, or a socket reading this
//! connection's other queue, never waits behind a `send(2)` (on loopback
//! the sender runs the receiver's TCP stack too, 15 µs: a waiter on a
//! spinlock that long gave up its core, and with busy-polling peers got it
//! back a scheduler slice later, milliseconds).
//!
//! `spill`'s mutex is taken only for a moment (to check it is empty, to
//! store a tail) and nothing is ever locked under it.
//!
//! The write pump (`io::session::write::write_pump`) never takes the
//! socket's state mutex. It takes `busy` with `acquire`, which waits (the
//! only wait on `busy`), and then, holding it, the pipe queue's mutex
//! (`PipeEnd::read_batch`). The application holds the queue and `busy`
//! one after the other, never one inside the other, and holds `busy` only
//! across one encode and one `send(2)` with `MSG_DONTWAIT`, which cannot
//! block, so the pump's wait is bounded. `close` (the session ending) waits for
//! `busy` the same way, holding nothing.
//!
//! The fd behind a `Direct` is written only while `closed` is false, read
//! under `busy`; the session sets `closed` (through `close`, which takes
//! `busy`) before it drops the stream, so no `send(2)` can reach an fd
//! number that was closed and reused.

use crate::msg::Msg;
use crate::pipe::{DirectSink, DirectWrite};
use crate::zmtp::mechanism::curve::{CurveTx, FLAG_MORE, MESSAGE_MIN};
use crate::zmtp::{encode_header, encode_subscription, Version};
use bytes::BytesMut;
use parking_lot::Mutex;
use std::cell::Cell;
use std::cell::RefCell;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Larger messages go through the pump (vectored, uncopied).
const MAX_DIRECT: usize = 8 * 1024;

/// A thread that sends again sooner than this after its previous send (to
/// any connection; the end of a direct write, which on loopback runs the
/// receiver's TCP too and can take 15 µs) is sending a burst or fanning
/// out: the message is queued so the pumps send the burst in few syscalls
/// (direct writes serve latency; batching serves throughput). A thread
/// that waited for input since (`waited`) is answering, not bursting.
const BURST_GAP_NS: u64 = 25_000;

fn now_ns() -> u64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_nanos() as u64
}

/// Where a direct write's bytes go: in the library, `send(2)` on the
/// connection's fd (`Fd`); unit tests script the kernel's answers.
pub trait Kernel: Send + Sync + 'static {
    /// Sends without blocking: the bytes taken, or the errno.
    fn send(&self, buf: &[u8]) -> Result<usize, i32>;
}

/// A connection's socket fd; only a `Direct` holds one (see "Locking").
pub struct Fd(RawFd);

impl Kernel for Fd {
    fn send(&self, buf: &[u8]) -> Result<usize, i32> {
        // SAFETY: `buf` is a live slice; the fd stays open while the
        // `Direct` holding this `Fd` is not closed (the session sets
        // `closed`, under `busy`, before dropping the stream, and
        // `try_write` checks it under `busy`); MSG_DONTWAIT never blocks
        // the caller.
        let n = unsafe {
            libc::send(
                self.0,
                buf.as_ptr() as *const libc::c_void,
                buf.len(),
                libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL,
            )
        };
        if n < 0 {
            Err(std::io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EIO))
        } else {
            Ok(n as usize)
        }
    }
}

pub struct Direct<K: Kernel = Fd> {
    kernel: K,
    version: Version,
    /// A SUB/XSUB connection: its command messages are subscriptions,
    /// which go out encoded for the peer's version (RFC 37).
    subscriber: bool,
    /// CURVE: every frame goes out sealed in a MESSAGE box by the
    /// connection's sender, shared with the pump (see "Locking").
    cipher: Option<Arc<Mutex<CurveTx>>>,
    busy: AtomicBool,
    closed: AtomicBool,
    spill: Mutex<BytesMut>,
}

thread_local! {
    /// When this thread last sent something (queued: when it tried; direct:
    /// when the write returned); 0 after it waited for input.
    static LAST_SEND: Cell<u64> = const { Cell::new(0) };
    static SCRATCH: RefCell<BytesMut> = RefCell::new(BytesMut::with_capacity(MAX_DIRECT + 16));
}

/// This thread waited for input (a receive that blocked or spun, a
/// non-blocking receive that found nothing, a poll that found nothing
/// ready): its next send answers what came, and goes out directly
/// whatever the time since its previous one. (Without this, a requester whose reply
/// came back within the burst gap of its request's end, as on loopback,
/// sent every request through the pump: REQ/REP round trip 45 → 61 µs.)
pub fn waited() {
    let _ = LAST_SEND.try_with(|l| l.set(0));
}

impl Direct<Fd> {
    /// Direct writes to the connection on `fd` (see "Locking" for how long
    /// the fd must stay open).
    pub fn new(fd: RawFd, version: Version, subscriber: bool) -> Direct<Fd> {
        Direct::with_kernel(Fd(fd), version, subscriber)
    }
}

impl<K: Kernel> Direct<K> {
    pub fn with_kernel(kernel: K, version: Version, subscriber: bool) -> Direct<K> {
        Direct {
            kernel,
            version,
            subscriber,
            cipher: None,
            busy: AtomicBool::new(false),
            closed: AtomicBool::new(false),
            spill: Mutex::new(BytesMut::new()),
        }
    }

    /// CURVE: direct writes seal every frame with `cipher`, the sender the
    /// pump seals with (None: frames go in clear).
    pub fn sealed_by(mut self, cipher: Option<Arc<Mutex<CurveTx>>>) -> Self {
        self.cipher = cipher;
        self
    }

    /// The pump takes the write side (spinning briefly if the application
    /// thread is in the middle of a direct write).
    pub fn acquire(&self) {
        while self
            .busy
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            std::thread::yield_now();
        }
    }

    pub fn release(&self) {
        self.busy.store(false, Ordering::Release);
    }

    /// Bytes a partial direct write left for the pump (call holding the
    /// write side).
    pub fn take_spill(&self, out: &mut BytesMut) {
        let mut s = self.spill.lock();
        if !s.is_empty() {
            out.extend_from_slice(&s);
            s.clear();
        }
    }

    pub fn has_spill(&self) -> bool {
        !self.spill.lock().is_empty()
    }

    /// No more direct writes (the connection is ending). Returns once no
    /// direct write is in progress.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.acquire();
        self.release();
    }
}

/// The (subscribe, topic) a message carries when it is a subscriber's
/// subscription: one command frame starting with 1 or 0 (as the write
/// pump recognises them).
fn subscription_of(frames: &[Msg], subscriber: bool) -> Option<(bool, &[u8])> {
    match frames {
        [m] if subscriber && m.is_command() && !m.more() => {
            crate::zmtp::Subscription::parse_message(m.data())
        }
        _ => None,
    }
}

impl<K: Kernel> DirectSink for Direct<K> {
    fn admits(&self, frames: &[Msg]) -> bool {
        // A frame's header, and its box under CURVE.
        let per_frame = if self.cipher.is_some() {
            9 + MESSAGE_MIN
        } else {
            9
        };
        let size: usize = frames.iter().map(|m| m.len() + per_frame).sum();
        let subscription = subscription_of(frames, self.subscriber);
        if size > MAX_DIRECT
            || (subscription.is_none() && frames.iter().any(|m| m.is_command()))
            || self.closed.load(Ordering::Acquire)
        {
            return false;
        }
        let now = now_ns();
        let last = LAST_SEND.with(|l| l.replace(now));
        // A subscription goes out at once whatever came before it: a
        // publisher only filters by what has reached it, so every
        // microsecond it waits for an I/O thread is a message lost.
        // Anything else sent within the gap is part of a burst: the pump
        // batches it.
        subscription.is_some() || last == 0 || now.saturating_sub(last) >= BURST_GAP_NS
    }

    fn write_admitted(&self, frames: &[Msg]) -> DirectWrite {
        let subscription = subscription_of(frames, self.subscriber);
        if self
            .busy
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return DirectWrite::Refused;
        }
        if self.closed.load(Ordering::Acquire) || !self.spill.lock().is_empty() {
            self.release();
            return DirectWrite::Refused;
        }
        let result = SCRATCH.with(|s| {
            let mut buf = s.borrow_mut();
            buf.clear();
            match (&self.cipher, subscription) {
                (None, Some((subscribe, topic))) => {
                    encode_subscription(self.version, subscribe, topic, &mut buf)
                }
                (None, None) => {
                    for msg in frames {
                        encode_header(self.version, msg.more(), false, msg.len(), &mut buf);
                        buf.extend_from_slice(msg.data());
                    }
                }
                (Some(tx), Some((subscribe, topic))) => {
                    tx.lock().seal_subscription(subscribe, topic, &mut buf)
                }
                (Some(tx), None) => {
                    let mut tx = tx.lock();
                    for msg in frames {
                        let flags = if msg.more() { FLAG_MORE } else { 0 };
                        tx.seal(flags, msg.data(), &mut buf);
                    }
                }
            }
            let sent = match self.kernel.send(&buf) {
                Ok(n) if n == buf.len() => return DirectWrite::Written,
                Ok(n) => n,
                Err(libc::EAGAIN | libc::EINTR) => 0,
                // Let the pump meet the error on its own write.
                Err(_) => return DirectWrite::Refused,
            };
            self.spill.lock().extend_from_slice(&buf[sent..]);
            DirectWrite::Spilled
        });
        self.release();
        if result != DirectWrite::Refused {
            // The gap to the next send counts from here: a Python sender's
            // next message comes a few µs after this returns, so bursts
            // went out one direct write per message (`perf stat` of a
            // paced pyzmq PUSH: 4.3 `sendto` per burst of 20).
            LAST_SEND.with(|l| l.set(now_ns().max(1)));
        }
        result
    }
}

/// Tests: the next `try_write` on this thread is not part of a burst (the
/// burst rule reads a clock; tests must not depend on timing).
#[cfg(test)]
pub(crate) fn forget_last_send() {
    LAST_SEND.with(|l| l.set(0));
}

#[cfg(test)]
mod tests;
