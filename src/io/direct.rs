//! Direct writes: the application thread sends a message straight to an
//! idle connection's socket, saving the wakeup of an I/O thread (DESIGN.md,
//! "Speed": latency is the number of threads woken per message).
//!
//! Ownership of the connection's write side moves between the application
//! thread and the write pump through one flag, `busy`: whoever sets it
//! writes, and only when the pump has nothing queued or in flight does the
//! application try. A partial write leaves its tail in `spill`, which the
//! pump sends before anything else, so bytes never interleave or reorder.

use crate::msg::Msg;
use crate::pipe::{DirectSink, DirectWrite};
use crate::zmtp::{encode_header, encode_subscription, Version};
use bytes::BytesMut;
use parking_lot::Mutex;
use std::cell::Cell;
use std::cell::RefCell;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, Ordering};

/// Larger messages go through the pump (vectored, uncopied).
const MAX_DIRECT: usize = 8 * 1024;

/// A thread that sends again sooner than this after its previous direct
/// write (to any connection) is sending a burst or fanning out: the message
/// is queued so the pumps send the burst in few syscalls (direct writes
/// serve latency; batching serves throughput).
const BURST_GAP_NS: u64 = 25_000;

fn now_ns() -> u64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_nanos() as u64
}

pub struct Direct {
    fd: RawFd,
    version: Version,
    /// A SUB/XSUB connection: its command messages are subscriptions,
    /// which go out encoded for the peer's version (RFC 37).
    subscriber: bool,
    busy: AtomicBool,
    closed: AtomicBool,
    spill: Mutex<BytesMut>,
}

thread_local! {
    /// When this thread last sent something (directly or queued).
    static LAST_SEND: Cell<u64> = const { Cell::new(0) };
    static SCRATCH: RefCell<BytesMut> = RefCell::new(BytesMut::with_capacity(MAX_DIRECT + 16));
}

impl Direct {
    pub fn new(fd: RawFd, version: Version, subscriber: bool) -> Direct {
        Direct {
            fd,
            version,
            subscriber,
            busy: AtomicBool::new(false),
            closed: AtomicBool::new(false),
            spill: Mutex::new(BytesMut::new()),
        }
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

    /// No more direct writes (the connection is ending).
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.acquire();
        self.release();
    }

    fn send(&self, buf: &[u8]) -> isize {
        // SAFETY: `buf` is a live slice; the fd stays open while `closed` is
        // false (the session sets it, under `busy`, before dropping the
        // stream); MSG_DONTWAIT never blocks the caller.
        unsafe {
            libc::send(
                self.fd,
                buf.as_ptr() as *const libc::c_void,
                buf.len(),
                libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL,
            )
        }
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

impl DirectSink for Direct {
    fn try_write(&self, frames: &[Msg]) -> DirectWrite {
        let size: usize = frames.iter().map(|m| m.len() + 9).sum();
        let subscription = subscription_of(frames, self.subscriber);
        if size > MAX_DIRECT
            || (subscription.is_none() && frames.iter().any(|m| m.is_command()))
            || self.closed.load(Ordering::Acquire)
        {
            return DirectWrite::Refused;
        }
        let now = now_ns();
        let last = LAST_SEND.with(|l| l.replace(now));
        // A subscription goes out at once whatever came before it: a
        // publisher only filters by what has reached it, so every
        // microsecond it waits for an I/O thread is a message lost.
        if subscription.is_none() && last != 0 && now.saturating_sub(last) < BURST_GAP_NS {
            // Part of a burst: the pump batches it.
            return DirectWrite::Refused;
        }
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
            match subscription {
                Some((subscribe, topic)) => {
                    encode_subscription(self.version, subscribe, topic, &mut buf)
                }
                None => {
                    for msg in frames {
                        encode_header(self.version, msg.more(), false, msg.len(), &mut buf);
                        buf.extend_from_slice(msg.data());
                    }
                }
            }
            let n = self.send(&buf);
            if n == buf.len() as isize {
                return DirectWrite::Written;
            }
            if n < 0 {
                let e = std::io::Error::last_os_error().raw_os_error();
                if e != Some(libc::EAGAIN) && e != Some(libc::EINTR) {
                    // Let the pump meet the error on its own write.
                    return DirectWrite::Refused;
                }
            }
            let sent = n.max(0) as usize;
            self.spill.lock().extend_from_slice(&buf[sent..]);
            DirectWrite::Spilled
        });
        self.release();
        result
    }
}
