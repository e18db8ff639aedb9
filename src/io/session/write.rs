//! The write pump: every queued message into one buffer and one write
//! (vectored when large bodies go out uncopied), sharing the write side
//! with the application thread's direct writes (`io::direct`). Frame
//! headers come from the framing (`TxFraming`: ZMTP's `Encoder`, or ZWS's
//! `WsEncoder`).

use super::*;

pub(super) async fn write_pump<W: AsyncWrite, K: Kernel, E: TxFraming>(
    w: &mut W,
    pipe: &Rc<RefCell<PipeEnd>>,
    ctl: &Control,
    encoder: &mut E,
    direct: Option<&Direct<K>>,
    subscriber: bool,
    curve: Option<Arc<Mutex<CurveTx>>>,
) -> End {
    let mut batch: VecDeque<Msg> = VecDeque::new();
    // Whether the next frame starts a message (subscriptions are whole
    // one-frame messages).
    let mut at_start = true;
    let mut out = BytesMut::with_capacity(FIRST_CHUNK);
    let mut linger_deadline: Option<Option<Instant>> = None;
    loop {
        poll_fn(|cx| {
            if !ctl.commands.borrow().is_empty() || direct.is_some_and(|d| d.has_spill()) {
                return Poll::Ready(());
            }
            *ctl.waker.borrow_mut() = Some(cx.waker().clone());
            pipe.borrow_mut().poll_readable(cx)
        })
        .await;
        // Hold the write side until this batch is written; what a direct
        // write left over goes first.
        let _side = direct.map(|d| {
            d.acquire();
            d.take_spill(&mut out);
            WriteSide(d)
        });
        let budget = match ctl.batch_bytes.get() {
            0 => BATCH_BYTES,
            n => n,
        };
        pipe.borrow_mut().read_batch_upto(&mut batch, budget);
        {
            // CURVE: the cipher is shared with direct writes, which take
            // it only holding the write side, as we do now (the queue's
            // lock is released by here; see `io::direct`, "Locking").
            let mut tx = curve.as_ref().map(|c| c.lock());
            for c in ctl.commands.borrow_mut().drain(..) {
                encoder.command(&c, tx.as_deref_mut(), &mut out);
            }
            if let Some(tx) = tx.as_deref_mut() {
                seal_batch(tx, encoder, &mut batch, subscriber, &mut at_start, &mut out);
            }
        }
        // More than one frame taken: a writer is streaming. (Under CURVE
        // `seal_batch` has already sealed and emptied the batch: those
        // pumps do not yield.)
        let streaming = batch.len() > 1;
        let mut segs: Vec<Bytes> = Vec::new();
        for mut msg in batch.drain(..) {
            #[cfg(test)]
            crate::io::runtime::test_probe(msg.data());
            let starts = at_start;
            at_start = !msg.more();
            if subscriber && starts && !msg.more() && msg.is_command() {
                // RFC 37: 3.1 peers get SUBSCRIBE/CANCEL commands, older
                // peers the 0x01/0x00-prefixed message.
                if let Some((subscribe, topic)) = zmtp::Subscription::parse_message(msg.data()) {
                    encoder.subscription(subscribe, topic, &mut out);
                    continue;
                }
            }
            if !subscriber && starts && !msg.more() && msg.is_command() {
                // A DISH's JOIN/LEAVE: a command frame, the body as is.
                encoder.header(false, true, msg.len(), &mut out);
                encoder.body(msg.data(), &mut out);
                continue;
            }
            encoder.header(msg.more(), false, msg.len(), &mut out);
            let uncopied = if msg.len() >= ZEROCOPY_MIN && encoder.uncopied() {
                msg.shared_bytes().cloned()
            } else {
                None
            };
            match uncopied {
                Some(b) => {
                    segs.push(out.split().freeze());
                    segs.push(b);
                }
                None => encoder.body(msg.data(), &mut out),
            }
        }
        if !out.is_empty() {
            segs.push(out.split().freeze());
        }
        let closing = pipe.borrow().peer_closed();
        if segs.is_empty() {
            if closing {
                return End::SocketClosed;
            }
            continue;
        }
        let write = async {
            if segs.len() == 1 {
                w.write_all(segs.pop().expect("one segment")).await.0
            } else {
                write_segments(w, segs).await
            }
        };
        let mut write = std::pin::pin!(write);
        // A batch the peer does not drain (hung, partitioned) may still be
        // in flight when the socket closes: the linger then applies to it
        // from the close, as to any later write.
        let mut finished = None;
        if !closing {
            let closed = poll_fn(|cx| pipe.borrow_mut().poll_peer_closed(cx));
            if let Either::Left(r) = select(write.as_mut(), closed).await {
                finished = Some(r);
            }
        }
        let res = match finished {
            Some(r) => r,
            None => {
                // zmq_close: deliver within the socket's linger. On expiry
                // the write is dropped: compio keeps a cancelled operation,
                // buffers included, until the kernel has returned it, so
                // nothing the kernel still reads is freed.
                let deadline = *linger_deadline.get_or_insert_with(|| {
                    let l = pipe.borrow().peer_linger();
                    tracing::debug!(target: "monocoque::linger", linger_ms = l, queued = pipe.borrow().in_queued(), "socket closed: writing what it queued within ZMQ_LINGER");
                    (l >= 0).then(|| Instant::now() + Duration::from_millis(l as u64))
                });
                match deadline {
                    Some(d) => match compio::time::timeout_at(d, write).await {
                        Ok(r) => r,
                        Err(_) => {
                            tracing::warn!(target: "monocoque::linger", "ZMQ_LINGER ran out before the peer took everything queued: the rest is dropped");
                            return End::SocketClosed;
                        }
                    },
                    None => write.await,
                }
            }
        };
        if let Err(e) = res {
            tracing::debug!(target: "monocoque::disconnect", "write failed: {e}");
            return End::Disconnected;
        }
        if out.capacity() < 4096 {
            // The written bytes are gone by now, so the buffer is ours
            // alone again and reserve takes it back from the start: no
            // fresh allocation (and no page faults) per chunk.
            out.reserve(READ_CHUNK);
        }
        if streaming && crate::io::signaler::spinning() && !pipe.borrow().has_queued() {
            // The writer streams and has queued nothing since the batch:
            // give it this core for a moment before parking. Parking made
            // each batch of a stream cost a wake of this thread (the
            // writer's eventfd write, a context switch here) when the
            // writer and this thread share a core, every few messages; a
            // yield lets the writer queue the next batch first, so the
            // next look finds it (tcp, `thr` msg API, normal priority,
            // against the build before: 1 B 1.34x the rate at 0.76x the
            // CPU, 64 B 1.34x at 0.79x; under `chrt` 1.06-1.08x). Nobody
            // else ready to run: the yield returns at once.
            #[cfg(test)]
            YIELDS.with(|y| y.set(y.get() + 1));
            std::thread::yield_now();
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Tests: the write pumps' yields on this thread (see `write_pump`).
    pub(super) static YIELDS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// A batch stops once its bodies reach this many bytes: one write's
/// worth (thousands of small messages, a few large ones), the rest left
/// in the pipe. Taking a whole pipe of large messages at once held every
/// body until the one big write ended while the sender refilled the pipe
/// with fresh memory (twice the high-water mark in flight, page faults
/// on every body).
const BATCH_BYTES: usize = 512 * 1024;

/// The batch of a connection whose socket set `ZMQ_SNDBUF`: no more than
/// the kernel was asked to hold (at least one message). A small SNDBUF
/// means "keep little in flight"; libzmq keeps at most its 8 KiB encoder
/// batch beyond the kernel's buffer, so messages wait in the pipe, where
/// they count against SNDHWM and the round robin sees them.
pub(super) fn batch_budget(sndbuf: i32) -> usize {
    match usize::try_from(sndbuf) {
        Ok(n) if n > 0 => n,
        _ => BATCH_BYTES,
    }
}

/// The pump's hold on a connection's write side, released when dropped.
pub(super) struct WriteSide<'a, K: Kernel>(&'a Direct<K>);

impl<K: Kernel> Drop for WriteSide<'_, K> {
    fn drop(&mut self) {
        self.0.release();
    }
}

/// Writes every segment, in order, with vectored writes; a partial write
/// resumes inside the segment where it stopped.
pub(super) async fn write_segments<W: AsyncWrite>(
    w: &mut W,
    mut segs: Vec<Bytes>,
) -> std::io::Result<()> {
    use bytes::Buf;
    // The kernel takes at most IOV_MAX (1024) buffers per call.
    const MAX_IOV: usize = 512;
    let mut rest = Vec::new();
    while !segs.is_empty() || !rest.is_empty() {
        if segs.is_empty() {
            segs = std::mem::take(&mut rest);
        }
        // One call takes at most MAX_IOV buffers and MAX_IO bytes (a body
        // past that is split, uncopied).
        let mut k = 0;
        let mut total = 0;
        while k < segs.len().min(MAX_IOV) {
            let len = segs[k].len();
            if total + len > MAX_IO {
                if k == 0 {
                    let head = segs[0].split_to(MAX_IO);
                    segs.insert(0, head);
                    k = 1;
                }
                break;
            }
            total += len;
            k += 1;
        }
        if k < segs.len() {
            let mut tail = segs.split_off(k);
            tail.append(&mut rest);
            rest = tail;
        }
        let BufResult(res, back) = w.write_vectored(segs).await;
        segs = back;
        let mut n = res?;
        if n == 0 {
            return Err(std::io::ErrorKind::WriteZero.into());
        }
        let mut done = 0;
        for seg in segs.iter_mut() {
            if n >= seg.len() {
                n -= seg.len();
                done += 1;
            } else {
                seg.advance(n);
                break;
            }
        }
        segs.drain(..done);
    }
    Ok(())
}
