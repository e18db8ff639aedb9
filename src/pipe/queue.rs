//! One direction of a pipe: the bounded queue of complete messages, its
//! counts, high-water mark and who to wake.

use super::{Activations, DirectSink, DirectWrite, Firing, Wake};
use crate::msg::Msg;
use bytes::Bytes;
use std::collections::VecDeque;
use std::sync::Arc;

pub(super) struct Queue {
    pub(super) msgs: VecDeque<Msg>,
    /// Set by an engine while it can take direct writes.
    pub(super) sink: Option<Arc<dyn DirectSink>>,
    /// Complete messages written and read (reported by the reader).
    pub(super) written: u64,
    pub(super) read: u64,
    /// The reads the writer knows of. As in libzmq, where reads reach the
    /// writer as commands it processes when it blocks, polls, or at most
    /// about once a millisecond during a burst of sends, a writer racing
    /// ahead of its reader sees the queue as full even when the reader has
    /// just caught up (libzmq's own tests count on it: a burst past SNDHWM
    /// meets EAGAIN). The socket refreshes it before a wait and for a poll
    /// (`refresh_write_view`); a full view refreshes itself once it is
    /// about a millisecond old (`writer_full`).
    pub(super) read_seen: u64,
    /// When (`io::sys::cycles`) `read_seen` last caught up.
    pub(super) seen_at: u64,
    /// How old that view may grow before a full pipe looks again
    /// (`VIEW_MAX_AGE`; tests that need a burst's stale view pin it).
    pub(super) view_max_age: u64,
    /// 0 = unlimited.
    pub(super) hwm: u64,
    /// Keep only the newest message (ZMQ_CONFLATE).
    pub(super) conflate: bool,
    /// The writer is an engine (it waits in `PipeEnd::poll_writable`): its
    /// view catches up with every read, not only with what libzmq's reader
    /// would have told (`Queue::told`). How far a session may run ahead
    /// of its socket is not observable as a socket's writes are, and the
    /// told counts held a receiving session back: tcp 64 B PUSH -> PULL
    /// 0.74x on the receiving side alone (8 alternating runs). Set by
    /// the engine's first `poll_writable`, which follows its first
    /// delivery.
    pub(super) exact_view: bool,
    /// The writer is gone: once `msgs` is drained, the reader sees the end.
    pub(super) write_closed: bool,
    /// The reader is gone: writes are dropped and the writer sees a dead pipe.
    pub(super) read_closed: bool,
    pub(super) writer_blocked: bool,
    /// The writer's linger (ms, -1 = forever) when it closed: how long an
    /// engine may keep delivering what is queued.
    pub(super) linger: i32,
    /// A reconnection waits for the writer to take its hiccup (libzmq
    /// `pipe_t::hiccup`): until then the reader takes nothing (unless the
    /// writer closed) and direct writes are refused.
    pub(super) hiccup: bool,
    /// Draft `ZMQ_DISCONNECT_MSG` of an inproc reader: the writer writes
    /// it, in place of any unfinished message, when it closes (libzmq
    /// `pipe_t::send_disconnect_msg`).
    pub(super) disconnect_msg: Option<Bytes>,
    pub(super) reader: Wake,
    /// The reader found this queue empty and stopped looking at it: the
    /// next frame (or the end) puts `activations.1` on `activations.0`.
    pub(super) parked: bool,
    /// Where a socket reader hears that this parked queue has input.
    pub(super) activations: Option<(Arc<Activations>, u64)>,
    /// An engine's write in flight, woken only when the writer closes
    /// (not by every message, as `reader` is).
    pub(super) closing: Wake,
    pub(super) writer: Wake,
}

/// How old (in `io::sys::cycles`, about a millisecond) a writer's view
/// of the reads may grow before a full pipe makes it look again (libzmq's
/// command throttle, `max_command_delay`).
pub(super) const VIEW_MAX_AGE: u64 = 3_000_000;

/// Of `read` reads, those a libzmq reader has told its writer of: it
/// tells each time its count reaches a multiple of the low-water mark,
/// (hwm + 1) / 2 (`pipe_t::compute_lwm`); never on an unlimited pipe
/// (None).
pub(super) fn told_at_lwm(read: u64, hwm: u64) -> Option<u64> {
    let lwm = hwm.div_ceil(2);
    read.checked_div(lwm).map(|n| n * lwm)
}

impl Queue {
    pub(super) fn new(hwm: u64, conflate: bool) -> Queue {
        Queue {
            msgs: VecDeque::new(),
            sink: None,
            written: 0,
            read: 0,
            read_seen: 0,
            exact_view: false,
            seen_at: crate::io::sys::cycles(),
            view_max_age: VIEW_MAX_AGE,
            hwm: if conflate { 0 } else { hwm },
            conflate,
            write_closed: false,
            read_closed: false,
            writer_blocked: false,
            linger: -1,
            hiccup: false,
            disconnect_msg: None,
            reader: Wake::None,
            parked: false,
            activations: None,
            closing: Wake::None,
            writer: Wake::None,
        }
    }

    /// Whether a frame (not just metadata markers) is queued; the reader
    /// is woken when this turns true.
    #[inline]
    pub(super) fn has_frames(&self) -> bool {
        match self.msgs.front() {
            None => false,
            Some(m) if !m.is_meta_mark() => true,
            Some(_) => self.msgs.iter().any(|m| !m.is_meta_mark()),
        }
    }

    /// Wakes the reader: something to read (or the end) is queued. A parked
    /// queue goes back on its socket's active list first.
    pub(super) fn wake_reader(&mut self) {
        self.wake_reader_later().fire();
    }

    /// As `wake_reader`, the wake itself done by the caller once the lock
    /// is let go (`Firing`).
    pub(super) fn wake_reader_later(&mut self) -> Firing {
        if std::mem::take(&mut self.parked) {
            if let Some((list, id)) = &self.activations {
                list.push(*id);
            }
        }
        self.reader.firing()
    }

    pub(super) fn full(&self) -> bool {
        self.hwm > 0 && self.written - self.read_seen >= self.hwm
    }

    /// The writer's check for room. `fresh`: the writer is about to wait
    /// or is polling, and catches up with every read first. Otherwise a
    /// view that says full and is about a millisecond old catches up with
    /// the reads libzmq's reader would have told of by now (every
    /// low-water mark's worth, `told_at_lwm`): libzmq's writer hears of
    /// reads when it processes commands, which a send does once that long
    /// has passed (its throttle). So a burst meets the high-water mark
    /// where libzmq's does, and a slow sender whose reader keeps up never
    /// does. The clock is read only here, when the view says full.
    pub(super) fn writer_full(&mut self, fresh: bool) -> bool {
        if !self.full() {
            return false;
        }
        if fresh {
            self.catch_up();
            return self.full();
        }
        let now = crate::io::sys::cycles();
        if now.wrapping_sub(self.seen_at) >= self.view_max_age {
            self.read_seen = self.read_seen.max(self.told());
            self.seen_at = now;
            return self.full();
        }
        true
    }

    /// The reads a libzmq writer knows of once it has processed its
    /// commands: its reader tells it only each time its count reaches a
    /// multiple of the low-water mark (`told_at_lwm`; every read on an
    /// unlimited pipe). So a writer that waited for room writes up to the
    /// high-water mark past the last such count, not past the last read:
    /// libzmq's `test_monitor` counts each pipe's queue at exactly SNDHWM
    /// after a burst, and with exact counts a pipe whose peer had taken a
    /// message or two into its TCP buffers took as many more.
    fn told(&self) -> u64 {
        told_at_lwm(self.read, self.hwm).unwrap_or(self.read)
    }

    /// The reads the writer's view catches up with (`catch_up`).
    fn caught_up(&self) -> u64 {
        let seen = if self.exact_view {
            self.read
        } else {
            self.told()
        };
        self.read_seen.max(seen)
    }

    /// The writer's view of the reads catches up with what libzmq's
    /// reader would have told it (`told`; every read for an engine,
    /// `exact_view`). Once the queue is empty and
    /// every read reported, that leaves less than a low-water mark
    /// counted, below the high-water mark: a writer is never held back by
    /// an empty queue.
    pub(super) fn catch_up(&mut self) {
        self.read_seen = self.caught_up();
        self.seen_at = crate::io::sys::cycles();
    }

    /// The writer's view catches up with every read (the writer dropped
    /// what was queued: it counts as read, all of it at once).
    pub(super) fn catch_up_all(&mut self) {
        self.read_seen = self.read;
        self.seen_at = crate::io::sys::cycles();
    }

    /// The writer found the queue full (maybe by its lagging view): it
    /// waits for the reader's next report. When the reader has in fact
    /// already made room (it read after the writer's view was refreshed,
    /// while nobody was blocked, so no report will come for it), the
    /// writer is woken at once instead: it refreshes its view and retries.
    /// Without this a blocking sender could sleep forever on an empty
    /// queue (found with two threads sending on one CLIENT).
    pub(super) fn block_writer(&mut self) {
        if self.hwm > 0 && self.written - self.caught_up() >= self.hwm {
            self.writer_blocked = true;
        } else {
            self.writer.fire();
        }
    }

    /// The reader consumed `n` more messages; a writer waiting for room
    /// hears of it at once (fire what this returns once unlocked).
    pub(super) fn report_read(&mut self, n: u64) -> Firing {
        self.read += n;
        if self.writer_blocked {
            self.catch_up();
            if !self.full() {
                self.writer_blocked = false;
                return self.writer.firing();
            }
        }
        Firing::None
    }

    /// The sink to hand a whole message to directly, when nothing is
    /// queued before it and the sink admits it (`PipeEnd::write_direct`
    /// sends it with this queue unlocked).
    pub(super) fn direct_sink(&self, frames: &[Msg]) -> Option<Arc<dyn DirectSink>> {
        if !self.msgs.is_empty() || self.conflate || self.hiccup {
            return None;
        }
        let sink = self.sink.as_ref()?;
        sink.admits(frames).then(|| sink.clone())
    }

    /// Counts a message the direct sink took (it counts as read at once);
    /// false when it refused it.
    pub(super) fn count_direct(&mut self, result: DirectWrite) -> bool {
        match result {
            DirectWrite::Refused => return false,
            DirectWrite::Spilled => self.wake_reader(),
            DirectWrite::Written => {}
        }
        self.written += 1;
        self.read += 1;
        self.read_seen += 1;
        true
    }

    /// Queues a single-frame message (no iterator machinery on the hot path).
    pub(super) fn push_one(&mut self, msg: Msg) -> Firing {
        self.push_with(|q| q.push_back(msg))
    }

    /// Queues the whole message in `frames` (left empty).
    pub(super) fn push_message(&mut self, frames: &mut VecDeque<Msg>) -> Firing {
        self.push_with(|q| q.append(frames))
    }

    /// Queues one whole message (`add` puts its frames in); when the queue
    /// had no frame, returns the reader's wake, to fire once unlocked.
    #[inline(always)]
    pub(super) fn push_with(&mut self, add: impl FnOnce(&mut VecDeque<Msg>)) -> Firing {
        if self.conflate {
            self.msgs.clear();
        }
        let was_empty = !self.has_frames();
        add(&mut self.msgs);
        self.written += 1;
        if was_empty {
            self.wake_reader_later()
        } else {
            Firing::None
        }
    }
}
