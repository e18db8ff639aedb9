//! One side of a pipe (`PipeEnd`), how a pair is made (`pipe_pair`), and
//! what a side reads, writes and reports.

use super::queue::{told_at_lwm, Queue};
use super::spare::reuse_metadata;
use super::{Activations, DirectSink, Firing, Wake};
use crate::io::lock::{unlock_stamp, untouched_since, Mutex, MutexGuard};
use crate::io::signaler::Signaler;
use crate::msg::Msg;
use bytes::Bytes;
use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// Why a write was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteError {
    /// At the high-water mark: try again later.
    Full,
    /// The reader is gone.
    Dead,
}

static NEXT_PIPE_ID: AtomicU64 = AtomicU64::new(1);

/// One side of a pipe.
pub struct PipeEnd {
    pub id: u64,
    out: Arc<Mutex<Queue>>,
    inq: Arc<Mutex<Queue>>,
    /// A batch taken from `inq`, consumed without locking.
    local: VecDeque<Msg>,
    /// Complete messages consumed from `local` not yet reported to the writer.
    unreported: u64,
    /// Frames of an outbound message whose last frame has not come yet
    /// (a deque: a finished message moves to the queue by `append`, one
    /// bulk copy, not frame by frame through an iterator's `Option`s).
    pending: VecDeque<Msg>,
    /// Our inbound queue keeps only the newest message (ZMQ_CONFLATE).
    conflate_in: bool,
    /// The peer's routing id (from its handshake or its inproc options).
    pub peer_routing_id: Bytes,
    /// The endpoint this pipe was made for (bind or connect address).
    pub endpoint: String,
    /// The addresses of the connection it was made for, when known.
    pub ends: Option<Arc<ConnEnds>>,
    /// The id of the other end.
    pub peer_id: u64,
    /// Accept order of the connection (0 when not accepted), to attach
    /// pipes that arrive together in the order their peers connected.
    pub order: u64,
    /// Over inproc: the peer socket's (SNDHWM, RCVHWM), which add to ours.
    pub inproc_peer_hwm: Option<(i32, i32)>,
    /// The connection's properties (for notifications that carry them).
    pub peer_metadata: Option<Arc<crate::msg::Metadata>>,
    /// Made before the peer was known (connect time): its routing id comes
    /// later, with `Command::Identify`.
    pub identity_pending: bool,
    /// The socket's refresh epoch this end's writer view last caught up
    /// with (see `Pipes::get`).
    pub view_epoch: u64,
    /// A connecter's end: a connection has been made over this pipe before,
    /// so the next one is a reconnection.
    pub reconnecting: bool,
    /// Reader side: the metadata of the connection whose frames come next
    /// (from the last marker read). Attached to each frame as it is read,
    /// in the reading thread, so the I/O thread does not touch a refcount
    /// the application thread is releasing for every message.
    current_meta: Option<Arc<crate::msg::Metadata>>,
    /// Writer side, ZMQ_CONFLATE only (where markers would be replaced
    /// with the messages): metadata attached to each frame written.
    attach_meta: Option<Arc<crate::msg::Metadata>>,
    /// Read by a socket (`set_signaler`) in a process that spins: its
    /// reads are paced (`pace`).
    paced: bool,
    /// The last refill took a small batch (see `pace`).
    small_refill: Option<SmallRefill>,
    /// The last look found `inq` empty and its writer not closed: the
    /// stamp of that unlock. Until someone else takes `inq`'s lock, that
    /// still holds (`refill`, `is_read_done`).
    pub(super) empty_stamp: Option<u64>,
}

/// A refill that took at most `PACE_SMALL` messages: when, and this
/// thread's send count then.
#[derive(Clone, Copy)]
struct SmallRefill {
    at: Instant,
    sends: u64,
}

/// A refill that takes at most this many messages, of at most
/// `PACE_FRAMES` frames and `PACE_BYTES` bytes in all, is small. (Large
/// bodies are not paced: a lock taken per message costs little beside
/// them, and a reader that pauses holds their memory longer.)
const PACE_SMALL: u64 = 2;
const PACE_FRAMES: usize = 8;
const PACE_BYTES: usize = 4096;
/// A reader whose refills keep taking small batches takes the next one
/// at least this long after the last (see `PipeEnd::pace`).
const PACE: Duration = Duration::from_micros(2);
/// Queues with a high-water mark below this are not paced: their writer
/// fills them within a pause and would wait on the reader.
const PACE_MIN_HWM: u64 = 64;

/// Sends a whole message straight to the connection when nothing is queued
/// before it (`io::direct`): true when it went (counted as written and
/// read). The queue is unlocked for the send, so neither the engine's pump
/// nor anyone else waits behind a `send(2)`; nothing can be queued in
/// between, as this thread is the queue's only writer. False, with `q`
/// locked again: queue the message as usual.
fn write_direct(q: &mut MutexGuard<'_, Queue>, frames: &[Msg]) -> bool {
    let Some(sink) = q.direct_sink(frames) else {
        return false;
    };
    let result = MutexGuard::unlocked(q, || sink.write_admitted(frames));
    q.count_direct(result)
}

thread_local! {
    /// Messages this thread has written into pipes (`PipeEnd::write`).
    static SENDS: Cell<u64> = const { Cell::new(0) };
}

/// How many messages this thread has written into pipes so far (frames,
/// counted as they are written; wraps).
pub fn sends() -> u64 {
    SENDS.try_with(Cell::get).unwrap_or(0)
}

/// A connection's two addresses as libzmq prints them (its
/// `endpoint_uri_pair_t`): what version 2 monitor events and pipe
/// statistics show as the local and the remote endpoint.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ConnEnds {
    pub local: String,
    pub remote: String,
}

/// Makes a pipe: `(a, b)`, with `a_to_b` messages allowed from a to b before
/// a blocks, and `b_to_a` the other way (0 = unlimited).
pub fn pipe_pair(a_to_b: u64, b_to_a: u64, conflate: bool) -> (PipeEnd, PipeEnd) {
    let ab = Arc::new(Mutex::new(Queue::new(a_to_b, conflate)));
    let ba = Arc::new(Mutex::new(Queue::new(b_to_a, conflate)));
    let id = NEXT_PIPE_ID.fetch_add(2, Ordering::Relaxed);
    let end = |id, peer_id, out, inq| PipeEnd {
        id,
        peer_id,
        peer_metadata: None,
        inproc_peer_hwm: None,
        order: 0,
        identity_pending: false,
        view_epoch: 0,
        reconnecting: false,
        current_meta: None,
        attach_meta: None,
        paced: false,
        small_refill: None,
        empty_stamp: None,
        out,
        inq,
        local: VecDeque::new(),
        unreported: 0,
        pending: VecDeque::new(),
        conflate_in: conflate,
        peer_routing_id: Bytes::new(),
        endpoint: String::new(),
        ends: None,
    };
    (
        end(id, id + 1, ab.clone(), ba.clone()),
        end(id + 1, id, ba, ab),
    )
}

impl PipeEnd {
    /// Lets the writer of our inbound queue write straight to `sink` (or
    /// stops it, with `None`).
    pub fn set_direct_sink(&self, sink: Option<Arc<dyn DirectSink>>) {
        self.inq.lock().sink = sink;
    }

    /// Changes both directions' high-water marks (inproc bind after connect).
    pub fn set_hwms(&self, out_hwm: u64, in_hwm: u64) {
        let mut q = self.out.lock();
        if !q.conflate {
            q.hwm = out_hwm;
        }
        drop(q);
        let mut q = self.inq.lock();
        if !q.conflate {
            q.hwm = in_hwm;
        }
    }

    /// Lets a reader park this end (`park_read`): activations go to `list`.
    pub fn set_activations(&self, list: &Arc<Activations>) {
        let mut q = self.inq.lock();
        q.activations = Some((list.clone(), self.id));
        q.parked = false;
    }

    /// The reader found nothing to read here and will not look again until
    /// this end is activated. False (not parked) when input or the writer's
    /// close arrived in the meantime, or no activation list is set.
    pub fn park_read(&mut self) -> bool {
        if !self.local.is_empty() {
            return false;
        }
        let mut q = self.inq.lock();
        if q.activations.is_none() || q.write_closed || (q.has_frames() && !q.hiccup) {
            return false;
        }
        q.parked = true;
        true
    }

    /// Registers a socket's signaler for both directions of this end; the
    /// socket's reads are paced from now on (`pace`).
    pub fn set_signaler(&mut self, s: &Arc<Signaler>) {
        // (`MONOCOQUE_SPIN_US` is read once per process: 0 turns pacing off.)
        self.paced = crate::io::signaler::spinning();
        self.inq.lock().reader = Wake::SignalInput(s.clone());
        self.out.lock().writer = Wake::Signal(s.clone());
    }

    /// Writes one frame. The high-water mark is checked on a message's first
    /// frame only: once a message is started, its frames are accepted.
    pub fn write(&mut self, msg: Msg) -> Result<(), (WriteError, Msg)> {
        let _ = SENDS.try_with(|n| n.set(n.get().wrapping_add(1)));
        if self.pending.is_empty() {
            let mut q = self.out.lock();
            if q.read_closed {
                return Err((WriteError::Dead, msg));
            }
            if q.writer_full(false) {
                q.block_writer();
                return Err((WriteError::Full, msg));
            }
            if !msg.more() {
                if !write_direct(&mut q, std::slice::from_ref(&msg)) {
                    let woke = q.push_one(msg);
                    drop(q);
                    woke.fire();
                }
                return Ok(());
            }
        }
        let last = !msg.more();
        self.pending.push_back(msg);
        if last {
            self.flush_pending();
        }
        Ok(())
    }

    /// Writes one frame ignoring the high-water mark (engines, which have
    /// already checked `poll_writable` before reading from the wire).
    pub fn write_unchecked(&mut self, msg: Msg) {
        if !msg.more() && self.pending.is_empty() {
            let mut q = self.out.lock();
            if !q.read_closed {
                let woke = q.push_one(msg);
                drop(q);
                woke.fire();
            }
            return;
        }
        let last = !msg.more();
        self.pending.push_back(msg);
        if last {
            self.flush_pending();
        }
    }

    /// Engines: the frames written from now on come from a connection with
    /// this metadata (one marker in the queue, not a refcount per frame).
    pub fn write_metadata_mark(&mut self, meta: Arc<crate::msg::Metadata>) {
        let mut q = self.out.lock();
        if q.read_closed {
            return;
        }
        if q.conflate {
            self.attach_meta = Some(meta);
        } else {
            q.msgs.push_back(Msg::meta_mark(meta));
        }
    }

    /// Writes many frames in one lock (engines' read pumps): complete
    /// messages enter the queue, a trailing partial one waits in `pending`.
    /// The high-water mark is the caller's business (`poll_writable`).
    pub fn write_many(&mut self, frames: &mut Vec<Msg>) {
        let mut q = self.out.lock();
        if q.read_closed {
            frames.clear();
            self.pending.clear();
            return;
        }
        let was_empty = !q.has_frames();
        for mut m in frames.drain(..) {
            if let Some(md) = &self.attach_meta {
                m.set_metadata(Some(md.clone()));
            }
            let last = !m.more();
            if last && self.pending.is_empty() && !q.conflate {
                q.msgs.push_back(m);
                q.written += 1;
                continue;
            }
            self.pending.push_back(m);
            if last {
                if q.conflate {
                    q.msgs.clear();
                }
                q.msgs.append(&mut self.pending);
                q.written += 1;
            }
        }
        if was_empty && q.has_frames() {
            let woke = q.wake_reader_later();
            drop(q);
            woke.fire();
        }
    }

    /// Draft `ZMQ_EVENT_PIPES_STATS`: complete messages written and not yet
    /// read, (outbound, inbound), as libzmq's pipe counters give them: the
    /// writer's count of what it wrote less the reads its reader has told
    /// it of, and libzmq's reader tells only every low-water mark's worth
    /// of reads (half the high-water mark; never when unlimited). So a
    /// pipe at SNDHWM whose reader took a few messages reports SNDHWM, as
    /// on libzmq (libzmq's test_monitor counts on it).
    #[cfg_attr(not(feature = "draft"), allow(dead_code))]
    pub fn stats(&self) -> (u64, u64) {
        let out = self.out.lock();
        let inq = self.inq.lock();
        (
            out.written
                .saturating_sub(told_at_lwm(out.read, out.hwm).unwrap_or(0)),
            inq.written
                .saturating_sub(told_at_lwm(inq.read + self.unreported, inq.hwm).unwrap_or(0)),
        )
    }

    /// Messages queued toward us, not yet read.
    pub fn in_queued(&self) -> usize {
        self.local.len() + self.inq.lock().msgs.len()
    }

    fn flush_pending(&mut self) {
        let mut q = self.out.lock();
        if q.read_closed {
            self.pending.clear();
            return;
        }
        if write_direct(&mut q, self.pending.make_contiguous()) {
            self.pending.clear();
            return;
        }
        let woke = q.push_message(&mut self.pending);
        drop(q);
        woke.fire();
    }

    /// Reader side, inproc: `body` reaches this end when the writer closes
    /// (the draft `ZMQ_DISCONNECT_MSG` of the socket reading here).
    pub fn set_disconnect_msg(&self, body: Bytes) {
        self.inq.lock().disconnect_msg = Some(body);
    }

    /// Drops the frames of an unfinished outbound message.
    pub fn rollback(&mut self) {
        self.pending.clear();
    }

    /// Whether a new message could be written now.
    pub fn check_write(&self) -> bool {
        let mut q = self.out.lock();
        if q.read_closed {
            return false;
        }
        if q.writer_full(false) {
            q.block_writer();
            return false;
        }
        true
    }

    /// Catches up with the reader's reads before a blocking writer waits
    /// (libzmq processes its pending commands then).
    pub fn refresh_write_view(&self) {
        self.out.lock().catch_up();
    }

    /// Tests: how old the writer's view may grow before a full pipe
    /// looks again (`u64::MAX`: a burst's view, however slow the test).
    #[cfg(test)]
    pub fn set_view_max_age(&self, cycles: u64) {
        self.out.lock().view_max_age = cycles;
    }

    /// Whether the reader is gone.
    pub fn is_write_dead(&self) -> bool {
        self.out.lock().read_closed
    }

    /// Reads one frame, if a message is available.
    pub fn read(&mut self) -> Option<Msg> {
        let mut m = Msg::new();
        self.read_into(&mut m).then_some(m)
    }

    /// As `read`, into `out` (replaced): false, and `out` untouched, when
    /// nothing is available. The connection metadata `out` held (lent by
    /// `zmq_msg_recv` from the message it replaces) serves the new frame
    /// when it is this connection's: no reference-count work and no
    /// thread-local look-up per frame.
    pub fn read_into(&mut self, out: &mut Msg) -> bool {
        if self.local.is_empty() || self.conflate_in {
            self.pace();
            self.refill();
        }
        let Some(m) = self.local.pop_front() else {
            return false;
        };
        let mut prev = std::mem::replace(out, m);
        if !out.more() {
            self.unreported += 1;
        }
        if let Some(md) = &self.current_meta {
            if out.metadata().is_none() {
                let lent = prev.take_metadata().filter(|l| Arc::ptr_eq(l, md));
                out.set_metadata(Some(lent.unwrap_or_else(|| reuse_metadata(md))));
            }
        }
        drop(prev);
        self.take_marks();
        if self.local.is_empty() && self.small_refill.is_none() {
            // Report at the end of every batch so a blocked writer resumes
            // as soon as the queue has room. (After a small batch the
            // writer was not waiting and cannot fill the queue before the
            // next read reports: that read refills, paced.)
            self.refill();
        }
        true
    }

    /// Two threads streaming through a pipe at the same pace fall into
    /// lock-step: each refill takes the one message written since the last,
    /// so both threads take the queue's lock, and move its cache lines
    /// between the cores, for every message (inproc, `zmq_msg_send` of
    /// 64 B: 2.2 M msg/s, with 0.8 refills per message). libzmq's reader
    /// escapes it by sleeping until woken, microseconds later, to a batch.
    /// Here, when the last refill took a small batch, the next is taken
    /// no sooner than `PACE` after it, so batches grow while the writer
    /// streams (prototype: 5 messages per refill with a 1 µs pause, 14
    /// with 3 µs; 5.2–7.3 M msg/s against 2.2–2.4 M). A thread that sent
    /// since then is not paced: it is answering, and the reply it waits
    /// for must not wait. Nor is a reader whose writer may be waiting for
    /// room (a small high-water mark), nor one that looks only now and
    /// then: the pause ends `PACE` after the last refill, not after this
    /// call. With `MONOCOQUE_SPIN_US=0` nothing spins, this pause neither
    /// (a reader that finds nothing then sleeps, and wakes to a batch).
    fn pace(&mut self) {
        if let Some(until) = self.pace_deadline() {
            while Instant::now() < until {
                std::hint::spin_loop();
            }
        }
    }

    /// When the next refill may be taken, if it must wait (see `pace`).
    pub(super) fn pace_deadline(&mut self) -> Option<Instant> {
        let last = self.small_refill.take()?;
        (last.sends == sends()).then_some(last.at + PACE)
    }

    /// Consumes the metadata markers at the front of the local batch, so
    /// that its front is always a frame.
    #[inline]
    fn take_marks(&mut self) {
        if self.local.front().is_some_and(|m| m.is_meta_mark()) {
            self.take_marks_now();
        }
    }

    #[cold]
    fn take_marks_now(&mut self) {
        while self.local.front().is_some_and(|m| m.is_meta_mark()) {
            if let Some(mut mark) = self.local.pop_front() {
                self.current_meta = mark.take_metadata();
            }
        }
    }

    /// Takes the shared queue into the local batch and reports reads.
    ///
    /// A queue found empty (its writer not closed) is not locked again
    /// until its lock word says someone else has held it since
    /// (`io::lock::untouched_since`; every write is made holding it): a
    /// reader polling with non-blocking receives otherwise holds the lock
    /// much of the time, and the I/O thread filling the queue waits for
    /// it, giving up its core.
    fn refill(&mut self) {
        if self.local.is_empty() && self.unreported == 0 && !self.conflate_in {
            if let Some(stamp) = self.empty_stamp {
                if untouched_since(&self.inq, stamp) {
                    return;
                }
            }
        }
        let mut q = self.inq.lock();
        let mut woke = Firing::None;
        if self.unreported > 0 {
            woke = q.report_read(self.unreported);
            self.unreported = 0;
        }
        if self.local.is_empty() {
            let small = self.paced
                && !self.conflate_in
                && !q.writer_blocked
                && (q.hwm == 0 || q.hwm >= PACE_MIN_HWM)
                && (1..=PACE_SMALL).contains(&q.written.saturating_sub(q.read));
            std::mem::swap(&mut self.local, &mut q.msgs);
            self.empty_stamp = (self.local.is_empty() && !q.write_closed).then(|| unlock_stamp(&q));
            drop(q);
            woke.fire();
            let small = small && {
                let frames = self.local.iter().take(PACE_FRAMES + 1);
                frames.len() <= PACE_FRAMES && frames.map(Msg::len).sum::<usize>() <= PACE_BYTES
            };
            self.small_refill = small.then(|| SmallRefill {
                at: Instant::now(),
                sends: sends(),
            });
            self.take_marks();
            return;
        } else if self.conflate_in && !q.msgs.is_empty() {
            // ZMQ_CONFLATE: a newer message replaces what was taken before
            // (a poll may have taken it without reading it).
            self.local.clear();
            std::mem::swap(&mut self.local, &mut q.msgs);
        }
        drop(q);
        woke.fire();
        self.take_marks();
    }

    /// Whether a whole message can be read now.
    pub fn check_read(&mut self) -> bool {
        if !self.local.is_empty() {
            return true;
        }
        self.refill();
        !self.local.is_empty()
    }

    /// The writer is gone and everything it wrote has been read.
    pub fn is_read_done(&mut self) -> bool {
        if !self.local.is_empty() {
            return false;
        }
        // (Asked after every read that found nothing: as in `refill`, an
        // empty queue whose writer had not closed is not locked again
        // until someone else has held it.)
        if let Some(stamp) = self.empty_stamp {
            if untouched_since(&self.inq, stamp) {
                return false;
            }
        }
        let q = self.inq.lock();
        let done = q.write_closed && q.msgs.iter().all(|m| m.is_meta_mark());
        if q.msgs.is_empty() && !q.write_closed {
            self.empty_stamp = Some(unlock_stamp(&q));
        }
        done
    }

    /// The peer closed its end (we may still have messages to read).
    pub fn peer_closed(&self) -> bool {
        self.inq.lock().write_closed
    }

    /// Closes this end: the peer reads what is queued, then sees the end;
    /// what the peer had queued for us is dropped.
    pub fn close(&mut self) {
        let disconnect_msg = self.out.lock().disconnect_msg.take();
        if let Some(body) = disconnect_msg {
            self.pending.clear();
            self.write_unchecked(Msg::from_slice(&body));
        }
        self.pending.clear();
        self.local.clear();
        {
            let mut q = self.out.lock();
            q.write_closed = true;
            q.wake_reader();
            q.closing.fire();
        }
        let dropped = {
            let mut q = self.inq.lock();
            q.read_closed = true;
            q.writer.fire();
            std::mem::take(&mut q.msgs)
        };
        // Free callbacks of dropped messages run outside the lock.
        drop(dropped);
    }

    /// Closes as a socket does on `zmq_close`: the peer may deliver what is
    /// queued within `linger` ms (-1 = forever, 0 = drop it now).
    ///
    /// Over inproc the queue is the peer socket's own inbound queue: what
    /// was sent before the close stays readable whatever the linger, as in
    /// libzmq (the reading end's pipe waits for the delimiter).
    pub fn close_with_linger(&mut self, linger: i32) {
        if linger == 0 && self.inproc_peer_hwm.is_none() {
            let dropped = std::mem::take(&mut self.out.lock().msgs);
            drop(dropped);
        }
        self.out.lock().linger = linger;
        self.close();
    }

    /// The linger the writer closed with.
    pub fn peer_linger(&self) -> i32 {
        self.inq.lock().linger
    }

    /// Closes only our writing direction (graceful: the peer drains).
    pub fn close_write(&mut self) {
        self.pending.clear();
        let mut q = self.out.lock();
        q.write_closed = true;
        q.wake_reader();
        q.closing.fire();
    }

    /// For engines: ready when there is something to read or the writer
    /// closed.
    pub fn poll_readable(&mut self, cx: &Context<'_>) -> Poll<()> {
        if !self.local.is_empty() {
            return Poll::Ready(());
        }
        let mut q = self.inq.lock();
        if (!q.msgs.is_empty() && !q.hiccup) || q.write_closed {
            return Poll::Ready(());
        }
        q.reader.park(cx);
        Poll::Pending
    }

    /// Whether anything is queued for this end to read.
    pub fn has_queued(&self) -> bool {
        !self.local.is_empty() || self.inq.lock().has_frames()
    }

    /// For engines: ready once the writer has closed its end.
    pub fn poll_peer_closed(&mut self, cx: &Context<'_>) -> Poll<()> {
        let mut q = self.inq.lock();
        if q.write_closed {
            return Poll::Ready(());
        }
        q.closing.park(cx);
        Poll::Pending
    }

    /// Engines, on a reconnection (libzmq `pipe_t::hiccup`): nothing is
    /// read from the writer until it has taken the hiccup (`end_hiccup`),
    /// so that what it queued for the previous connection and what it
    /// writes for this one are never mixed.
    pub fn begin_hiccup(&self) {
        self.inq.lock().hiccup = true;
    }

    /// Writer side of a hiccup: drops every message queued and not yet
    /// taken by the reader, as libzmq's `pipe_t::process_hiccup` drops its
    /// old queue (they count as read: they no longer hold the HWM).
    pub fn discard_unread(&mut self) {
        let dropped = {
            let mut q = self.out.lock();
            let dropped = std::mem::take(&mut q.msgs);
            let n = dropped
                .iter()
                .filter(|m| !m.more() && !m.is_meta_mark())
                .count() as u64;
            q.read += n;
            q.catch_up_all();
            dropped
        };
        // Free callbacks of dropped messages run outside the lock.
        drop(dropped);
    }

    /// Writer side: the hiccup is taken, the reader may read again.
    pub fn end_hiccup(&self) {
        let mut q = self.out.lock();
        if std::mem::take(&mut q.hiccup) && q.has_frames() {
            q.wake_reader();
        }
    }

    /// For engines: ready when a message may be written (below the
    /// high-water mark) or the reader is gone.
    pub fn poll_writable(&mut self, cx: &Context<'_>) -> Poll<()> {
        let mut q = self.out.lock();
        q.exact_view = true;
        if q.read_closed || !q.writer_full(true) {
            return Poll::Ready(());
        }
        q.writer_blocked = true;
        q.writer.park(cx);
        Poll::Pending
    }

    /// Takes every queued message at once (engines' write pumps).
    pub fn read_batch(&mut self, into: &mut VecDeque<Msg>) {
        self.read_batch_upto(into, usize::MAX);
    }

    /// Takes queued whole messages until their bodies reach `budget`
    /// bytes (at least one message; everything when small ones are
    /// queued). A write pump takes what one write can carry, so the rest
    /// stays in the pipe and holds the high-water mark there, as in
    /// libzmq: a sender of large messages then refills with the bodies
    /// just written (recycled, already paged in), not with fresh memory
    /// while a whole pipe's worth is still being written.
    pub fn read_batch_upto(&mut self, into: &mut VecDeque<Msg>, budget: usize) {
        let mut taken = Taken::default();
        taken.move_from(&mut self.local, into, budget);
        let mut q = self.inq.lock();
        if (!q.hiccup || q.write_closed) && !taken.done(budget) {
            taken.move_from(&mut q.msgs, into, budget);
        }
        let woke = q.report_read(taken.messages + self.unreported);
        drop(q);
        woke.fire();
        self.unreported = 0;
    }
}

/// What a bounded batch has taken so far.
#[derive(Default)]
struct Taken {
    bytes: usize,
    messages: u64,
    /// The last frame taken has more frames after it.
    mid_message: bool,
}

impl Taken {
    /// Enough taken, at a message boundary.
    fn done(&self, budget: usize) -> bool {
        self.bytes >= budget && !self.mid_message
    }

    /// Moves the frames of `from` that fit the budget to `into`: one look
    /// at each frame finds the cut, then the whole queue is swapped in (the
    /// usual case: many small messages) or its head drained.
    fn move_from(&mut self, from: &mut VecDeque<Msg>, into: &mut VecDeque<Msg>, budget: usize) {
        let mut cut = from.len();
        for (i, m) in from.iter().enumerate() {
            if self.done(budget) {
                cut = i;
                break;
            }
            self.bytes += m.len();
            self.mid_message = m.more();
            self.messages += u64::from(!m.more());
        }
        if cut < from.len() {
            into.extend(from.drain(..cut));
        } else if into.is_empty() {
            std::mem::swap(into, from);
        } else {
            into.append(from);
        }
    }
}

impl Drop for PipeEnd {
    fn drop(&mut self) {
        self.close();
    }
}
