//! Who a pipe wakes when its queue changes (`Wake`), and the direct-write
//! hook an engine offers a pipe's writer (`DirectSink`).

use crate::io::signaler::Signaler;
use crate::msg::Msg;
use std::sync::Arc;
use std::task::{Context, Waker};

/// Who to wake when a queue changes.
#[derive(Default)]
pub enum Wake {
    #[default]
    None,
    /// A socket: its signaler stays registered for the pipe's life.
    Signal(Arc<Signaler>),
    /// A socket reading this queue: signals input as well.
    SignalInput(Arc<Signaler>),
    /// An async task parked on the queue: woken once, then forgotten.
    Task(Waker),
}

impl Wake {
    pub(super) fn fire(&mut self) {
        match self {
            Wake::None => {}
            Wake::Signal(s) => s.signal(),
            Wake::SignalInput(s) => s.signal_input(),
            Wake::Task(_) => {
                if let Wake::Task(w) = std::mem::take(self) {
                    w.wake();
                }
            }
        }
    }

    /// What `fire` would do, to be done once the queue's lock is let go
    /// (`Firing::fire`): a waker is taken, as `fire` takes it.
    ///
    /// A socket's signaler is taken (a reference counted, to outlive the
    /// lock) only when a signal would do anything: most wakes of a busy
    /// stream find nobody waiting (inproc 64 B: a clone per wake cost
    /// 0.92x).
    pub(super) fn firing(&mut self) -> Firing {
        match self {
            Wake::None => Firing::None,
            Wake::Signal(s) if s.may_need_signal() => Firing::Signal(s.clone()),
            Wake::SignalInput(s) => {
                s.note_input();
                if s.may_need_signal() {
                    Firing::Signal(s.clone())
                } else {
                    Firing::None
                }
            }
            Wake::Signal(_) => Firing::None,
            Wake::Task(_) => match std::mem::take(self) {
                Wake::Task(w) => Firing::Task(w),
                _ => Firing::None,
            },
        }
    }

    pub(super) fn park(&mut self, cx: &Context<'_>) {
        match self {
            Wake::Signal(_) | Wake::SignalInput(_) => {}
            Wake::Task(w) if w.will_wake(cx.waker()) => {}
            _ => *self = Wake::Task(cx.waker().clone()),
        }
    }
}

/// A wake taken out of a queue under its lock and fired after the lock is
/// let go: the woken thread then finds the lock free instead of spinning
/// on it while the waker is still in its `write(2)` to an eventfd (a
/// spinning waiter gives up its core after 200 tries: paced pyzmq PULL,
/// 0.2 yields per burst in the application thread, `refill` waiting for
/// the I/O thread's `write_many`). Waking after the unlock is as correct:
/// a woken reader looks at the queue again, and one that looked before
/// the wake came sees it pending.
#[must_use]
pub enum Firing {
    None,
    Signal(Arc<Signaler>),
    Task(Waker),
}

impl Firing {
    pub fn fire(self) {
        match self {
            Firing::None => {}
            Firing::Signal(s) => s.signal(),
            Firing::Task(w) => w.wake(),
        }
    }
}

/// What a direct write did with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectWrite {
    /// It went to the kernel whole.
    Written,
    /// Part went out; the rest waits for the engine, which was woken.
    Spilled,
    /// Not taken: queue it as usual.
    Refused,
}

/// An engine that lets the writer send straight to its connection when
/// nothing else is queued or in flight: the sending application thread
/// then writes the bytes itself, without waking an I/O thread.
///
/// The writer asks `admits` holding its queue's lock (no syscall: whether
/// the message may go directly at all), then calls `write_admitted` with
/// the lock let go, so the engine's pump and the reading side never wait
/// behind a `send(2)` (on loopback one runs the receiver's TCP stack too:
/// 15 µs, long enough for a waiter to give up its core).
pub trait DirectSink: Send + Sync {
    /// Whether a whole message (all its frames) may be written directly.
    fn admits(&self, frames: &[Msg]) -> bool;
    /// Writes a message `admits` took (`Refused` still: the engine's pump
    /// holds the connection, or the write failed).
    fn write_admitted(&self, frames: &[Msg]) -> DirectWrite;
    /// Both steps at once.
    #[cfg(test)]
    fn try_write(&self, frames: &[Msg]) -> DirectWrite {
        if self.admits(frames) {
            self.write_admitted(frames)
        } else {
            DirectWrite::Refused
        }
    }
}
