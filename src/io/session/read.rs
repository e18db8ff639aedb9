//! The read pump: bytes from the kernel into large chunks, decoded into
//! frames that go to the socket's pipe in one batch per read. One pump for
//! every mechanism and framing: the framing (`RxFraming`: ZMTP's
//! `Decoder`, or ZWS's `WsDecoder`) takes frames off the read buffer, the
//! cipher layer (`RxCipher`: `Plain`, or CURVE's `CurveOpen`) turns each
//! into the frame it carries.

use super::*;

/// The read side's cipher layer: what turns a frame off the wire into the
/// frame it carries (None: a protocol error, already reported).
pub(super) trait RxCipher {
    /// Frames are what they carry: small data frames may be copied inline
    /// straight out of the read buffer, large ones kept as they are.
    const PLAIN: bool;
    fn open(&mut self, frame: Frame) -> Option<Frame>;
}

/// No cipher (NULL, PLAIN): a frame is what it carries.
pub(super) struct Plain;

impl RxCipher for Plain {
    const PLAIN: bool = true;

    #[inline(always)]
    fn open(&mut self, frame: Frame) -> Option<Frame> {
        Some(frame)
    }
}

pub(super) async fn read_pump<R: AsyncRead, C: RxCipher, D: RxFraming>(
    r: &mut R,
    mut buf: BytesMut,
    decoder: &mut D,
    cipher: &mut C,
    c: &Conn<'_>,
) -> End {
    let mut batch: Vec<Msg> = Vec::new();
    let mut chunk = FIRST_CHUNK;
    // A large body was just read: the next frame is likely large too.
    let mut after_large = false;
    loop {
        if let Some(hb) = c.hb {
            // Any bytes from the peer count as traffic.
            hb.borrow_mut().on_frame_received();
        }
        loop {
            // Small data frames: copied inline straight from the buffer.
            match (C::PLAIN).then(|| {
                decoder.decode_small(&mut buf, crate::msg::INLINE_CAP, |more, body| {
                    let mut m = Msg::from_slice(body);
                    m.set_more(more);
                    m
                })
            }) {
                Some(Ok(Some(m))) => {
                    batch.push(m);
                    continue;
                }
                None | Some(Ok(None)) => {}
                Some(Err(e)) => {
                    tracing::warn!(target: "monocoque::disconnect", "protocol error from the peer: {e}");
                    return protocol_error(c.pipe, &mut batch);
                }
            }
            let frame = match decoder.decode(&mut buf) {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(target: "monocoque::disconnect", "protocol error from the peer: {e}");
                    return protocol_error(c.pipe, &mut batch);
                }
            };
            let Some(frame) = cipher.open(frame) else {
                return protocol_error(c.pipe, &mut batch);
            };
            if !frame.command {
                // Data, the common case, straight into the batch: through
                // `classify` and `take_inbound` the frame was moved twice
                // more, and each move's wide loads stalled on the narrow
                // stores of its flags (store forwarding; the hottest
                // instructions of a subscriber's I/O thread).
                let mut m = Msg::from_received(frame.body);
                m.set_more(frame.more);
                batch.push(m);
                continue;
            }
            take_inbound(c, classify(frame), &mut batch);
        }
        deliver(c, &mut batch).await;
        // A large frame is read straight into a recycled buffer of its own
        // (no growing of the shared read buffer, no fresh pages).
        match decoder.large_header(&buf, LARGE_BODY) {
            Ok(Some(h)) => {
                let mut body = match read_large_body(r, &mut buf, h).await {
                    Ok(body) => body,
                    Err(LargeFail::Closed(errno)) => return c.read_failed(errno),
                    Err(LargeFail::NoMemory) => return protocol_error(c.pipe, &mut batch),
                };
                decoder.large_body(&mut body);
                let body = crate::msg::pooled_body(body);
                if C::PLAIN && !h.command {
                    let mut m = Msg::from_shared(body);
                    m.set_more(h.more);
                    batch.push(m);
                } else {
                    let f = Frame {
                        more: h.more,
                        command: h.command,
                        body,
                    };
                    let Some(f) = cipher.open(f) else {
                        return protocol_error(c.pipe, &mut batch);
                    };
                    take_inbound(c, classify(f), &mut batch);
                }
                after_large = true;
                continue;
            }
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(target: "monocoque::disconnect", "protocol error from the peer: {e}");
                return protocol_error(c.pipe, &mut batch);
            }
        }
        if decoder.closed() {
            // ws CLOSE: the peer ended the stream in band.
            crate::log::read_ended(&Ok(0));
            return c.read_failed(libc::EPIPE);
        }
        let more = if std::mem::take(&mut after_large) {
            read_header(r, buf).await
        } else {
            read_more(r, buf, decoder, &mut chunk).await
        };
        match more {
            Ok(b) => buf = b,
            Err(errno) => return c.read_failed(errno),
        }
    }
}

/// What the read after a large body takes at most: a frame header and a
/// little more.
pub(super) const HEADER_PEEK: usize = 64;

/// Reads at most `HEADER_PEEK` bytes. After a large body the next frame
/// is likely large too: with only its header in the shared buffer, its
/// body is then read straight into a buffer of its own (`read_large_body`)
/// instead of arriving in the shared buffer and being copied out of it
/// (libzmq's decoder, too, reads a body straight into its message once the
/// header has told the size). Small frames after it cost one short read.
pub(super) async fn read_header<R: AsyncRead>(
    r: &mut R,
    mut buf: BytesMut,
) -> Result<BytesMut, i32> {
    use compio::buf::{IntoInner, IoBuf};
    buf.reserve(HEADER_PEEK);
    let at = buf.len();
    let BufResult(res, b) = r.read(buf.slice(at..at + HEADER_PEEK)).await;
    read_outcome(res).map(|_| b.into_inner())
}

/// A read's outcome for the pumps: the bytes read, or the errno that ended
/// the connection (`EPIPE` for an orderly close), logged.
fn read_outcome(res: std::io::Result<usize>) -> Result<usize, i32> {
    if matches!(res, Ok(0) | Err(_)) {
        crate::log::read_ended(&res);
    }
    match res {
        Ok(0) => Err(libc::EPIPE),
        Err(e) => Err(e.raw_os_error().unwrap_or(libc::EPIPE)),
        Ok(n) => Ok(n),
    }
}

/// What a read pump does with one inbound frame: data and subscriptions
/// join the batch for the socket, a PING is answered (and feeds the
/// heartbeat), the rest is ignored.
pub(super) fn take_inbound(c: &Conn<'_>, inbound: Inbound, batch: &mut Vec<Msg>) {
    match inbound {
        Inbound::Message(f) => {
            let mut m = Msg::from_received(f.body);
            m.set_more(f.more);
            batch.push(m);
        }
        Inbound::Ping {
            ttl_deciseconds,
            context,
        } => {
            if let Some(hb) = c.hb {
                hb.borrow_mut().on_ping_received(now_ms(), ttl_deciseconds);
                c.ctl.hb_dirty.set(true);
                if let Some(w) = c.ctl.hb_waker.borrow_mut().take() {
                    w.wake();
                }
            }
            c.ctl.push(zmtp::command::pong_body(&context));
        }
        Inbound::Pong { .. } | Inbound::Ignored => {}
        // A DISH's JOIN/LEAVE, for a RADIO only (libzmq `radio_session_t`);
        // the socket reads the command message as it arrived.
        Inbound::Group(body) => {
            if c.groups {
                let mut m = Msg::from_bytes(body);
                m.set_flags(crate::msg::flags::COMMAND);
                batch.push(m);
            }
        }
        Inbound::Subscribe(t) => {
            batch.push(Msg::from_bytes(
                zmtp::Subscription::Subscribe(t).to_message(),
            ));
        }
        Inbound::Cancel(t) => {
            batch.push(Msg::from_bytes(zmtp::Subscription::Cancel(t).to_message()));
        }
    }
}

/// Hands a read pump's batch to the socket, then waits while the socket's
/// queue is at its high-water mark (or forever once the socket is gone:
/// the write pump decides when the connection ends).
pub(super) async fn deliver(c: &Conn<'_>, batch: &mut Vec<Msg>) {
    if !batch.is_empty() {
        c.pipe.borrow_mut().write_many(batch);
    }
    poll_fn(|cx| c.pipe.borrow_mut().poll_writable(cx)).await;
    if c.pipe.borrow().is_write_dead() {
        std::future::pending::<()>().await;
    }
}

/// Reads more bytes into the pump's buffer, growing the read size while
/// reads come back full; `Err(errno)` when the connection ended (`EPIPE`
/// for an orderly close).
pub(super) async fn read_more<R: AsyncRead, D: RxFraming>(
    r: &mut R,
    mut buf: BytesMut,
    decoder: &D,
    chunk: &mut usize,
) -> Result<BytesMut, i32> {
    if buf.capacity() - buf.len() < 1024 {
        let need = decoder.needed(&buf);
        buf.reserve(need.clamp(*chunk, 8 * 1024 * 1024));
    }
    let spare = buf.capacity() - buf.len();
    let BufResult(res, b) = r.append(buf).await;
    let n = read_outcome(res)?;
    // A full read means more is waiting: read more at once.
    if n == spare {
        *chunk = (*chunk * 2).min(READ_CHUNK);
    }
    Ok(b)
}

/// Why a large body could not be read.
pub(super) enum LargeFail {
    /// The stream ended or failed (errno, `EPIPE` for an orderly close).
    Closed(i32),
    /// Memory for the body could not be had: the connection is dropped as
    /// libzmq drops it when `malloc` fails (`ENOMEM`, a protocol error).
    NoMemory,
}

/// Reads the body of the large frame whose header starts `buf` into a
/// buffer of its own, consuming the frame from `buf`; it reads no byte
/// past the body.
///
/// The size is the peer's announcement: the buffer starts at most at
/// `msg::LARGE_FIRST_ALLOC` and doubles only when the bytes received have
/// filled it, so memory follows what actually arrives, and an allocation
/// that fails closes this connection instead of aborting the process.
/// Honest large bodies still land in one buffer, with no second copy.
pub(super) async fn read_large_body<R: AsyncRead>(
    r: &mut R,
    buf: &mut BytesMut,
    h: zmtp::codec::LargeHeader,
) -> Result<Vec<u8>, LargeFail> {
    use compio::buf::{IntoInner, IoBuf};
    let have = (buf.len() - h.header_len).min(h.body_len);
    let Some(mut body) =
        crate::msg::pooled_buffer(&buf[h.header_len..h.header_len + have], h.body_len)
    else {
        tracing::debug!("no memory for a {}-byte frame", h.body_len);
        return Err(LargeFail::NoMemory);
    };
    let _ = buf.split_to(h.header_len + have);
    while body.len() < h.body_len {
        if !crate::msg::grow_body(&mut body, h.body_len) {
            tracing::debug!("no memory for a {}-byte frame", h.body_len);
            return Err(LargeFail::NoMemory);
        }
        // Only this body's bytes: the next frame's stay in the kernel for
        // the next read, so none is copied back into the shared buffer.
        // The stream is `Capped`: one read asks for at most MAX_IO bytes.
        let (at, end) = (body.len(), body.capacity().min(h.body_len));
        let BufResult(res, b) = r.read(body.slice(at..end)).await;
        body = b.into_inner();
        read_outcome(res).map_err(LargeFail::Closed)?;
    }
    Ok(body)
}
