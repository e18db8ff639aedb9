//! A connection's life after the transport connected: the ZMTP handshake,
//! then a read pump and a write pump (and heartbeats) until one side ends.
//!
//! The write pump drains every queued message into one buffer and one write
//! (vectored when large bodies go out uncopied); the read pump reads into a
//! large buffer and hands frames up as zero-copy slices of it, in one pipe
//! lock per read. Back-pressure: the read pump stops reading while the
//! socket's inbound pipe is at its high-water mark, so TCP holds the rest.
//!
//! Memory a peer can make us hold: before the handshake is done, one
//! partial frame of at most `zmtp::handshake::HANDSHAKE_FRAME_MAX` (64 KiB)
//! plus one read; after it, a frame size announced by the peer is never
//! allocated up front. The shared read buffer holds frames below
//! `LARGE_BODY` only (plus one read); larger bodies get a buffer of their
//! own that starts at `msg::LARGE_FIRST_ALLOC` at most, grows as their
//! bytes arrive and is allocated fallibly: a failure closes the connection
//! as libzmq does when its `malloc` fails (a protocol error:
//! `DISCONNECTED`, no reconnect).

use crate::io::capped::MAX_IO;
use crate::io::direct::Direct;
use crate::io::owner::{event, kind, Owner, Up};
use crate::io::stop::{select, Either, Stop};
use crate::msg::{Metadata, Msg};
use crate::options::{Options, MECH_CURVE, MECH_PLAIN};
use crate::pipe::{pipe_pair, DirectSink, PipeEnd};
use crate::zmtp::mechanism::curve::{CurveRx, CurveTx, FLAG_COMMAND, FLAG_MORE};
use crate::zmtp::{
    self, classify, Decoder, Encoder, Frame, Handshake, HandshakeConfig, Heartbeat,
    HeartbeatAction, HeartbeatConfig, Inbound, MechanismConfig, Progress,
};
use bytes::{Bytes, BytesMut};
use compio::buf::BufResult;
use compio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::poll_fn;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};

/// Read buffer size: one read takes up to this much.
const READ_CHUNK: usize = 64 * 1024;
/// An idle connection starts with small buffers; they grow to `READ_CHUNK`
/// when traffic fills them (memory per idle connection matters at 10k).
const FIRST_CHUNK: usize = 512;
/// Received bodies at least this large get a buffer of their own.
const LARGE_BODY: usize = 64 * 1024;
/// Bodies at least this large go out by vectored write, uncopied.
const ZEROCOPY_MIN: usize = 16 * 1024;

/// Why a connection ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The socket closed (and what it queued went out, or linger ran out).
    SocketClosed,
    /// The endpoint was stopped (unbind, disconnect, close).
    Stopped,
    /// The peer went away or broke the protocol; a connecter reconnects.
    Disconnected,
    /// The handshake failed on the transport (end of stream, timeout).
    HandshakeFailed,
    /// The peer broke the protocol (a handshake refused by a mechanism or
    /// ZAP, an ERROR received, a CURVE MESSAGE that does not open). As in
    /// libzmq (`session_base_t::engine_error` with `protocol_error`), a
    /// connecter then stops: it does not reconnect.
    ProtocolError,
}

/// What a connection needs from its socket: the owner of its pipe (the
/// seam, `io::owner`), the socket's options and its endpoint.
#[derive(Clone)]
pub struct SessionCtx {
    pub owner: Arc<dyn Owner>,
    pub options: Options,
    /// The endpoint the connection belongs to (bind or connect uri).
    pub endpoint: String,
    pub stop: Arc<Stop>,
    /// Accept order of this connection (0 for connecters): pipes that
    /// reach the socket together attach in this order, as in libzmq where
    /// one I/O thread completes handshakes in accept order.
    pub order: u64,
}

/// Bytes the write pump must send besides messages (PONG, PING).
#[derive(Default)]
struct Control {
    out: RefCell<BytesMut>,
    waker: RefCell<Option<Waker>>,
    /// The heartbeat loop, parked until its deadlines change.
    hb_waker: RefCell<Option<Waker>>,
    hb_dirty: std::cell::Cell<bool>,
}

impl Control {
    fn push(&self, f: impl FnOnce(&mut BytesMut)) {
        f(&mut self.out.borrow_mut());
        if let Some(w) = self.waker.borrow_mut().take() {
            w.wake();
        }
    }
}

fn handshake_config(o: &Options) -> HandshakeConfig {
    let mechanism = if o.mechanism == MECH_PLAIN {
        MechanismConfig::Plain {
            server: o.as_server,
            username: o.plain_username.clone(),
            password: o.plain_password.clone(),
        }
    } else if o.mechanism == MECH_CURVE {
        MechanismConfig::Curve {
            server: o.as_server,
            public_key: o.curve_public.unwrap_or_default(),
            secret_key: o.curve_secret.unwrap_or_default(),
            server_key: o.curve_server.unwrap_or_default(),
        }
    } else {
        MechanismConfig::Null
    };
    HandshakeConfig {
        socket_type: o.socket_type,
        routing_id: o.routing_id.clone(),
        mechanism,
        app_metadata: o.app_metadata.clone(),
        zap_domain: o.zap_domain.clone(),
        zap_enforce_domain: o.zap_enforce_domain,
        max_msg_size: o.maxmsgsize,
    }
}

async fn write_out<W: AsyncWrite>(w: &mut W, out: &mut BytesMut) -> bool {
    if out.is_empty() {
        return true;
    }
    let chunk = out.split().freeze();
    w.write_all(chunk).await.0.is_ok()
}

/// How a handshake ended without a connection.
enum HsFail {
    /// The stream ended or failed (errno; `EPIPE` for an orderly close).
    /// libzmq reports `HANDSHAKE_FAILED_NO_DETAIL` with it, and a
    /// connecter retries.
    Io(i32),
    /// `ZMQ_HANDSHAKE_IVL` ran out.
    Timeout,
    /// The protocol failed: the mechanism, ZAP or the peer refused.
    Refused(zmtp::HandshakeError),
}

/// Runs the handshake; returns the established connection and the bytes
/// already read past it.
async fn handshake<R: AsyncRead, W: AsyncWrite>(
    r: &mut R,
    w: &mut W,
    sc: &SessionCtx,
    peer_address: &str,
    fd: i32,
) -> Result<(zmtp::Established, BytesMut), HsFail> {
    let mut hs = Handshake::new(handshake_config(&sc.options));
    let mut buf = BytesMut::with_capacity(FIRST_CHUNK);
    loop {
        if !write_out(w, hs.output()).await {
            return Err(HsFail::Io(libc::EPIPE));
        }
        // Frames are split off the front, shrinking the spare room: a
        // full buffer would read nothing and look like end of stream.
        if buf.capacity() - buf.len() < 128 {
            buf.reserve(FIRST_CHUNK);
        }
        let BufResult(res, b) = r.append(buf).await;
        buf = b;
        match res {
            Ok(0) => return Err(HsFail::Io(libc::EPIPE)),
            Err(e) => return Err(HsFail::Io(e.raw_os_error().unwrap_or(libc::EPIPE))),
            Ok(_) => {}
        }
        let mut progress = hs.input(&mut buf);
        // The handshake consumes every whole frame it can and refuses a
        // header announcing more than `HANDSHAKE_FRAME_MAX`, so what stays
        // buffered is one partial frame at most: an unauthenticated peer
        // can make us hold no more than this (checked here too, so that no
        // mechanism state can ever let it grow).
        if matches!(progress, Ok(Progress::NeedMore))
            && buf.len() > zmtp::handshake::HANDSHAKE_FRAME_MAX + zmtp::codec::MAX_HEADER_LEN
        {
            return Err(HsFail::Refused(zmtp::HandshakeError::Frame(
                zmtp::ProtocolError::TooLarge {
                    size: buf.len() as u64,
                    max: zmtp::handshake::HANDSHAKE_FRAME_MAX as i64,
                },
            )));
        }
        // RFC 27: the server asks the ZAP handler, then goes on with what
        // is already buffered.
        while let Ok(Progress::Zap(req)) = &progress {
            let reply = zap_while_connected(sc, req, peer_address, fd).await?;
            progress = match hs.zap_reply(reply) {
                Ok(Progress::NeedMore) => hs.input(&mut buf),
                p => p,
            };
        }
        match progress {
            Ok(Progress::NeedMore) | Ok(Progress::Zap(_)) => {}
            Ok(Progress::Done(est)) => {
                let mut out = std::mem::take(hs.output());
                if !write_out(w, &mut out).await {
                    return Err(HsFail::Io(libc::EPIPE));
                }
                return Ok((est, buf));
            }
            Err(e) => {
                let mut out = std::mem::take(hs.output());
                let _ = write_out(w, &mut out).await;
                return Err(HsFail::Refused(e));
            }
        }
    }
}

/// How often a pending ZAP request checks that its peer is still there.
const ZAP_PEER_CHECK: Duration = Duration::from_millis(50);

/// The ZAP exchange, watching the connection meanwhile: as in libzmq, a
/// handler that never answers (gone, or not reading) stalls the handshake
/// until the peer leaves (`EPIPE`) or `ZMQ_HANDSHAKE_IVL` ends it. Bytes
/// the peer sends meanwhile stay in the socket for the handshake.
async fn zap_while_connected(
    sc: &SessionCtx,
    req: &zmtp::ZapRequest,
    peer: &str,
    fd: i32,
) -> Result<zmtp::ZapReply, HsFail> {
    let mut zap = std::pin::pin!(zap_exchange(sc, req, peer));
    loop {
        match select(zap.as_mut(), compio::time::sleep(ZAP_PEER_CHECK)).await {
            Either::Left(reply) => return Ok(reply),
            Either::Right(()) => {
                if fd >= 0 {
                    if let Some(errno) = crate::io::sys::peer_gone(fd) {
                        return Err(HsFail::Io(errno));
                    }
                }
            }
        }
    }
}

/// Asks the context's ZAP handler about a peer: a request over an inproc
/// pipe to the socket bound at `inproc://zeromq.zap.01`, awaited without
/// blocking the I/O thread.
async fn zap_exchange(sc: &SessionCtx, req: &zmtp::ZapRequest, peer: &str) -> zmtp::ZapReply {
    let Some(mut pipe) = sc.owner.zap_pipe() else {
        tracing::debug!(target: "monocoque::zap", peer, "no ZAP handler bound at inproc://zeromq.zap.01");
        return zmtp::ZapReply::NoHandler;
    };
    tracing::debug!(target: "monocoque::zap", peer, domain = %String::from_utf8_lossy(&req.domain), mechanism = %String::from_utf8_lossy(req.mechanism), "ZAP request sent");
    let frames = req.frames(peer.as_bytes());
    let n = frames.len();
    for (i, f) in frames.into_iter().enumerate() {
        let mut m = Msg::from_bytes(f);
        m.set_more(i + 1 < n);
        pipe.write_unchecked(m);
    }
    let mut reply = Vec::new();
    loop {
        poll_fn(|cx| pipe.poll_readable(cx)).await;
        while let Some(m) = pipe.read() {
            let more = m.more();
            reply.push(m.to_bytes());
            if !more {
                pipe.close();
                return zmtp::ZapReply::Frames(reply);
            }
        }
        if pipe.is_read_done() {
            // The handler went away without (fully) answering: libzmq's
            // session forgets its ZAP pipe and the handshake waits on.
            return std::future::pending().await;
        }
    }
}

/// Connection properties as `zmq_msg_gets` shows them.
fn metadata(est: &zmtp::Established, peer_address: &str, fd: i32) -> Arc<Metadata> {
    let mut md = Metadata::new();
    md.set_fd(fd);
    for p in est.properties.iter().rev() {
        md.insert(&p.0, &p.1);
    }
    if !est.user_id.is_empty() {
        md.insert("User-Id", &est.user_id);
    }
    if !peer_address.is_empty() {
        md.insert("Peer-Address", peer_address.as_bytes());
    }
    Arc::new(md)
}

/// Makes the socket's pipe for a connection and hands it to the socket.
fn attach_new_pipe(
    sc: &SessionCtx,
    peer_routing_id: Bytes,
    meta: Option<Arc<Metadata>>,
) -> PipeEnd {
    let o = &sc.options;
    let (mut ours, theirs) = pipe_pair(o.sndhwm.max(0) as u64, o.rcvhwm.max(0) as u64, o.conflate);
    // ZMQ_CONNECT_ROUTING_ID overrides the identity the peer announced.
    ours.peer_routing_id = o.connect_routing_id.clone().unwrap_or(peer_routing_id);
    ours.endpoint = sc.endpoint.clone();
    ours.peer_metadata = meta;
    ours.order = sc.order;
    sc.owner.post(Up::Attach(ours));
    theirs
}

/// Serves one connected stream until it ends. `persistent` is a connecter's
/// pipe that outlives reconnections; otherwise a pipe is made after the
/// handshake and closed at the end.
pub async fn serve<R: AsyncRead, W: AsyncWrite>(
    r: R,
    w: W,
    sc: &SessionCtx,
    persistent: Option<Rc<RefCell<PipeEnd>>>,
    peer_address: String,
    fd: i32,
) -> End {
    let span = crate::log::conn_span(&sc.endpoint, &peer_address);
    tracing::Instrument::instrument(
        serve_stream(r, w, sc, persistent, peer_address, fd, true),
        span,
    )
    .await
}

/// `serve`, for streams that may not be written around (`direct` false):
/// a transport that frames ZMTP itself (ws) must see every byte, so the
/// application threads' direct writes to the fd stay off.
pub async fn serve_stream<R: AsyncRead, W: AsyncWrite>(
    mut r: R,
    mut w: W,
    sc: &SessionCtx,
    persistent: Option<Rc<RefCell<PipeEnd>>>,
    peer_address: String,
    fd: i32,
    direct: bool,
) -> End {
    if kind::is_raw(sc.options.socket_type) {
        let end = Box::pin(serve_raw(r, w, sc, persistent, peer_address)).await;
        sc.owner.event(event::DISCONNECTED, fd as u32, &sc.endpoint);
        return end;
    }
    let o = &sc.options;
    // Boxed: nested futures moved into selects are otherwise stored several
    // times over in this one (30 KB per connection before; 10k connections).
    let hs = Box::pin(handshake(&mut r, &mut w, sc, &peer_address, fd));
    let hs = async {
        if o.handshake_ivl > 0 {
            compio::time::timeout(Duration::from_millis(o.handshake_ivl as u64), hs)
                .await
                .unwrap_or(Err(HsFail::Timeout))
        } else {
            hs.await
        }
    };
    // A connecter's pipe may still hold messages to deliver after the
    // socket closed: its handshake goes on within the linger, and ends
    // when the socket closed with nothing to deliver or a zero linger.
    let interrupted = async {
        if let Some(p) = &persistent {
            let linger_over = async {
                sc.owner.closing().wait().await;
                let (linger, queued) = {
                    let p = p.borrow();
                    (p.peer_linger(), p.in_queued())
                };
                if queued == 0 || linger == 0 {
                    return;
                }
                if linger > 0 {
                    compio::time::sleep(Duration::from_millis(linger as u64)).await;
                } else {
                    std::future::pending::<()>().await;
                }
            };
            let _ = select(sc.stop.wait(), linger_over).await;
        } else {
            let _ = select(sc.stop.wait(), sc.owner.closing().wait()).await;
        }
    };
    let (est, buf) = match select(hs, interrupted).await {
        Either::Left(Ok(x)) => x,
        Either::Left(Err(fail)) => {
            let end = match &fail {
                HsFail::Refused(e) => {
                    tracing::warn!(target: "monocoque::handshake", endpoint = %sc.endpoint, peer = %peer_address, "handshake failed: {}", crate::log::explain_handshake_error(e));
                    if let Some(ev) = e.event() {
                        sc.owner.event(ev.event(), ev.value(), &sc.endpoint);
                    }
                    End::ProtocolError
                }
                HsFail::Io(errno) => {
                    tracing::warn!(target: "monocoque::handshake", endpoint = %sc.endpoint, peer = %peer_address, "handshake failed: the connection ended before the handshake completed ({}){}", crate::log::errno_text(*errno), crate::log::handshake_eof_hint(o.mechanism));
                    // libzmq `stream_engine_base_t::error`: a connection
                    // error while handshaking is reported with its errno.
                    sc.owner.event(
                        event::HANDSHAKE_FAILED_NO_DETAIL,
                        *errno as u32,
                        &sc.endpoint,
                    );
                    End::HandshakeFailed
                }
                HsFail::Timeout => {
                    tracing::warn!(target: "monocoque::handshake", endpoint = %sc.endpoint, peer = %peer_address, "handshake failed: timed out after {} ms (ZMQ_HANDSHAKE_IVL): the peer sent no complete ZMTP handshake", o.handshake_ivl);
                    // libzmq reports the timer's failure with the errno
                    // its last non-blocking read left: EAGAIN.
                    sc.owner.event(
                        event::HANDSHAKE_FAILED_NO_DETAIL,
                        libc::EAGAIN as u32,
                        &sc.endpoint,
                    );
                    End::HandshakeFailed
                }
            };
            sc.owner.event(event::DISCONNECTED, fd as u32, &sc.endpoint);
            return end;
        }
        Either::Right(_) => {
            if fd >= 0 {
                crate::io::sys::shutdown(fd);
            }
            return End::Stopped;
        }
    };
    // libzmq reports HANDSHAKE_SUCCEEDED when a security mechanism becomes
    // ready: a ZMTP 1.0/2.0 peer has none, so it gets no event.
    let legacy = !est.version.has_commands();
    if !legacy {
        sc.owner.event(event::HANDSHAKE_SUCCEEDED, 0, &sc.endpoint);
    }
    // libzmq: a new connection leaves commands for the socket, so an
    // exported ZMQ_FD turns readable (czmq's zpoller test relies on it).
    sc.owner.wake();
    tracing::info!(target: "monocoque::handshake", endpoint = %sc.endpoint, peer = %peer_address, version = ?est.encoder.version(), mechanism = crate::log::mechanism_option_name(o.mechanism), user_id = %String::from_utf8_lossy(&est.user_id), "handshake done");
    let meta = metadata(&est, &peer_address, fd);
    let pipe = match persistent {
        Some(p) => {
            if kind::is_router(o.socket_type) && o.connect_routing_id.is_none() {
                let peer = p.borrow().peer_id;
                sc.owner
                    .post(Up::Identify(peer, est.peer_routing_id.clone()));
            }
            // libzmq `session_base_t::reconnect`: a SUB/XSUB pipe hiccups,
            // and the socket sends every subscription again instead of
            // what was queued for the old connection.
            let resubscribe = kind::is_subscriber(o.socket_type)
                && std::mem::replace(&mut p.borrow_mut().reconnecting, true);
            if resubscribe {
                let peer = p.borrow().peer_id;
                p.borrow().begin_hiccup();
                sc.owner.post(Up::Hiccup(peer));
            }
            p
        }
        None => Rc::new(RefCell::new(attach_new_pipe(
            sc,
            est.peer_routing_id.clone(),
            Some(meta.clone()),
        ))),
    };
    if est.subscribe_all_required {
        pipe.borrow_mut().write_unchecked(Msg::from_slice(&[1]));
    }
    let ctl = Control::default();
    let version = est.encoder.version();
    // Present for every 3.x peer: a peer's PING TTL applies even when we
    // send none. ZMTP 1.0/2.0 have no commands: libzmq starts heartbeats
    // when a mechanism becomes ready, so such peers get none.
    let hb = (!legacy).then(|| {
        RefCell::new(Heartbeat::new(
            HeartbeatConfig {
                ivl_ms: o.heartbeat_ivl.max(0) as u64,
                ttl_deciseconds: o.heartbeat_ttl,
                timeout_ms: o.heartbeat_timeout as i64,
            },
            now_ms(),
        ))
    });
    let mut decoder = est.decoder;
    let encoder = est.encoder;
    // CURVE seals every frame: its pumps take a separate path, and the
    // application thread never writes to the connection directly.
    let (curve_tx, curve_rx) = match est.cipher {
        Some(c) => (Some(c.tx), Some(c.rx)),
        None => (None, None),
    };
    let read_errno = std::cell::Cell::new(0);
    let reader = Box::pin(async {
        let conn = Conn {
            pipe: &pipe,
            ctl: &ctl,
            version,
            hb: hb.as_ref(),
            read_errno: &read_errno,
        };
        // Every frame from here on carries this connection's metadata: one
        // marker in the pipe, attached by the reading socket.
        pipe.borrow_mut().write_metadata_mark(meta);
        match curve_rx {
            None => read_pump(&mut r, buf, &mut decoder, &conn).await,
            Some(rx) => read_pump_curve(&mut r, buf, &mut decoder, rx, &conn, sc).await,
        }
    });
    let subscriber = kind::is_subscriber(o.socket_type);
    // The handshake's last bytes go out before any direct write may.
    let mut first = est.output;
    if !write_out(&mut w, &mut first).await {
        return End::Disconnected;
    }
    let direct = (direct && fd >= 0 && curve_tx.is_none())
        .then(|| Arc::new(Direct::new(fd, version, subscriber)));
    if let Some(d) = &direct {
        pipe.borrow()
            .set_direct_sink(Some(d.clone() as Arc<dyn DirectSink>));
    }
    // Ends direct writes before the stream closes on every way out, a
    // panic's unwind included (it drops this before the stream).
    let _direct_off = direct.as_ref().map(|d| DirectOff(&pipe, d));
    let writer = Box::pin(write_pump(
        &mut w,
        &pipe,
        &ctl,
        &encoder,
        direct.as_deref(),
        subscriber,
        curve_tx,
    ));
    let beats = Box::pin(heartbeat_loop(hb.as_ref(), &ctl, version));
    let pumps = async {
        match select(reader, select(writer, beats)).await {
            Either::Left(e) => e,
            Either::Right(Either::Left(e)) | Either::Right(Either::Right(e)) => e,
        }
    };
    let end = match select(pumps, sc.stop.wait()).await {
        Either::Left(e) => e,
        Either::Right(()) => End::Stopped,
    };
    if legacy && end == End::Disconnected {
        // libzmq `stream_engine_base_t::error`: without a mechanism (1.0/2.0
        // peers) a connection error counts as a failed handshake, reported
        // with the errno of the failed read (EPIPE when the peer closed).
        let errno = match read_errno.get() {
            0 => libc::EPIPE,
            e => e,
        };
        sc.owner.event(
            event::HANDSHAKE_FAILED_NO_DETAIL,
            errno as u32,
            &sc.endpoint,
        );
    }
    if matches!(end, End::Disconnected | End::ProtocolError) {
        sc.owner.event(event::DISCONNECTED, fd as u32, &sc.endpoint);
    }
    tracing::info!(target: "monocoque::disconnect", endpoint = %sc.endpoint, peer = %peer_address, "connection closed: {}", crate::log::end_text(end));
    end
}

fn now_ms() -> u64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_millis() as u64
}

async fn read_pump<R: AsyncRead>(
    r: &mut R,
    mut buf: BytesMut,
    decoder: &mut Decoder,
    c: &Conn<'_>,
) -> End {
    let mut batch: Vec<Msg> = Vec::new();
    let mut chunk = FIRST_CHUNK;
    loop {
        if let Some(hb) = c.hb {
            // Any bytes from the peer count as traffic.
            hb.borrow_mut().on_frame_received();
        }
        loop {
            // Small data frames: copied inline straight from the buffer.
            match decoder.decode_small(&mut buf, crate::msg::INLINE_CAP, |more, body| {
                let mut m = Msg::from_slice(body);
                m.set_more(more);
                m
            }) {
                Ok(Some(m)) => {
                    batch.push(m);
                    continue;
                }
                Ok(None) => {}
                Err(e) => {
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
            take_inbound(c, classify(frame), &mut batch);
        }
        deliver(c, &mut batch).await;
        // A large frame is read straight into a recycled buffer of its own
        // (no growing of the shared read buffer, no fresh pages).
        match decoder.large_header(&buf, LARGE_BODY) {
            Ok(Some(h)) => {
                let body = match read_large_body(r, &mut buf, h).await {
                    Ok(body) => body,
                    Err(LargeFail::Closed(errno)) => return c.read_failed(errno),
                    Err(LargeFail::NoMemory) => return protocol_error(c.pipe, &mut batch),
                };
                let body = crate::msg::pooled_body(body);
                if h.command {
                    let f = Frame {
                        more: h.more,
                        command: true,
                        body,
                    };
                    take_inbound(c, classify(f), &mut batch);
                } else {
                    let mut m = Msg::from_shared(body);
                    m.set_more(h.more);
                    batch.push(m);
                }
                continue;
            }
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(target: "monocoque::disconnect", "protocol error from the peer: {e}");
                return protocol_error(c.pipe, &mut batch);
            }
        }
        match read_more(r, buf, decoder, &mut chunk).await {
            Ok(b) => buf = b,
            Err(errno) => return c.read_failed(errno),
        }
    }
}

/// What a read pump does with one inbound frame: data and subscriptions
/// join the batch for the socket, a PING is answered (and feeds the
/// heartbeat), the rest is ignored.
fn take_inbound(c: &Conn<'_>, inbound: Inbound, batch: &mut Vec<Msg>) {
    match inbound {
        Inbound::Message(f) => {
            let mut m = Msg::from_bytes(f.body);
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
            let version = c.version;
            c.ctl
                .push(|out| zmtp::command::encode_pong(version, &context, out));
        }
        Inbound::Pong { .. } | Inbound::Ignored => {}
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
async fn deliver(c: &Conn<'_>, batch: &mut Vec<Msg>) {
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
async fn read_more<R: AsyncRead>(
    r: &mut R,
    mut buf: BytesMut,
    decoder: &Decoder,
    chunk: &mut usize,
) -> Result<BytesMut, i32> {
    if buf.capacity() - buf.len() < 1024 {
        let need = decoder.needed(&buf);
        buf.reserve(need.clamp(*chunk, 8 * 1024 * 1024));
    }
    let spare = buf.capacity() - buf.len();
    let BufResult(res, b) = r.append(buf).await;
    if matches!(res, Ok(0) | Err(_)) {
        crate::log::read_ended(&res);
    }
    match res {
        Ok(0) => Err(libc::EPIPE),
        Err(e) => Err(e.raw_os_error().unwrap_or(libc::EPIPE)),
        Ok(n) => {
            // A full read means more is waiting: read more at once.
            if n == spare {
                *chunk = (*chunk * 2).min(READ_CHUNK);
            }
            Ok(b)
        }
    }
}

/// Why a large body could not be read.
enum LargeFail {
    /// The stream ended or failed (errno, `EPIPE` for an orderly close).
    Closed(i32),
    /// Memory for the body could not be had: the connection is dropped as
    /// libzmq drops it when `malloc` fails (`ENOMEM`, a protocol error).
    NoMemory,
}

/// Reads the body of the large frame whose header starts `buf` into a
/// buffer of its own, consuming the frame from `buf` (bytes of later
/// frames read along go back into `buf`).
///
/// The size is the peer's announcement: the buffer starts at most at
/// `msg::LARGE_FIRST_ALLOC` and doubles only when the bytes received have
/// filled it, so memory follows what actually arrives, and an allocation
/// that fails closes this connection instead of aborting the process.
/// Honest large bodies still land in one buffer, with no second copy.
async fn read_large_body<R: AsyncRead>(
    r: &mut R,
    buf: &mut BytesMut,
    h: zmtp::codec::LargeHeader,
) -> Result<Vec<u8>, LargeFail> {
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
        // The stream is `Capped`: one read asks for at most MAX_IO bytes.
        let BufResult(res, b) = r.append(body).await;
        body = b;
        if matches!(res, Ok(0) | Err(_)) {
            crate::log::read_ended(&res);
        }
        match res {
            Ok(0) => return Err(LargeFail::Closed(libc::EPIPE)),
            Err(e) => return Err(LargeFail::Closed(e.raw_os_error().unwrap_or(libc::EPIPE))),
            Ok(_) => {}
        }
    }
    if body.len() > h.body_len {
        // Bytes of the next frames came along: back to the buffer.
        buf.extend_from_slice(&body[h.body_len..]);
        body.truncate(h.body_len);
    }
    Ok(body)
}

async fn write_pump<W: AsyncWrite>(
    w: &mut W,
    pipe: &Rc<RefCell<PipeEnd>>,
    ctl: &Control,
    encoder: &Encoder,
    direct: Option<&Direct>,
    subscriber: bool,
    mut curve: Option<CurveTx>,
) -> End {
    let mut batch: VecDeque<Msg> = VecDeque::new();
    // Whether the next frame starts a message (subscriptions are whole
    // one-frame messages).
    let mut at_start = true;
    let mut out = BytesMut::with_capacity(FIRST_CHUNK);
    let mut linger_deadline: Option<Option<Instant>> = None;
    loop {
        poll_fn(|cx| {
            if !ctl.out.borrow().is_empty() || direct.is_some_and(|d| d.has_spill()) {
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
        {
            let mut c = ctl.out.borrow_mut();
            if !c.is_empty() {
                match curve.as_mut() {
                    None => out.extend_from_slice(&c),
                    Some(tx) => seal_control(tx, encoder.version(), &mut c, &mut out),
                }
                c.clear();
            }
        }
        pipe.borrow_mut().read_batch(&mut batch);
        let mut segs: Vec<Bytes> = Vec::new();
        if let Some(tx) = curve.as_mut() {
            seal_batch(tx, &mut batch, subscriber, &mut at_start, &mut out);
        }
        for msg in batch.drain(..) {
            #[cfg(test)]
            crate::io::runtime::test_probe(msg.data());
            let starts = at_start;
            at_start = !msg.more();
            if subscriber && starts && !msg.more() && msg.is_command() {
                // RFC 37: 3.1 peers get SUBSCRIBE/CANCEL commands, older
                // peers the 0x01/0x00-prefixed message.
                if let Some((&b @ (0 | 1), topic)) = msg.data().split_first() {
                    zmtp::encode_subscription(encoder.version(), b == 1, topic, &mut out);
                    continue;
                }
            }
            encoder.message_header(msg.more(), msg.len(), &mut out);
            match msg.shared_body() {
                Some(b) if b.len() >= ZEROCOPY_MIN => {
                    segs.push(out.split().freeze());
                    segs.push(b.clone());
                }
                _ => out.extend_from_slice(msg.data()),
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
    }
}

/// CURVE: seals the control frames (PING, PONG) queued in clear.
fn seal_control(tx: &mut CurveTx, version: zmtp::Version, ctl: &mut BytesMut, out: &mut BytesMut) {
    let mut d = Decoder::new(version, -1);
    while let Ok(Some(f)) = d.decode(ctl) {
        tx.seal(frame_flags(f.more, f.command), &f.body, out);
    }
}

fn frame_flags(more: bool, command: bool) -> u8 {
    (if more { FLAG_MORE } else { 0 }) | (if command { FLAG_COMMAND } else { 0 })
}

/// CURVE: seals every queued message (one copy, encrypted in place in the
/// output buffer), leaving `batch` empty.
fn seal_batch(
    tx: &mut CurveTx,
    batch: &mut VecDeque<Msg>,
    subscriber: bool,
    at_start: &mut bool,
    out: &mut BytesMut,
) {
    for msg in batch.drain(..) {
        let starts = *at_start;
        *at_start = !msg.more();
        if subscriber && starts && !msg.more() && msg.is_command() {
            if let Some((&b @ (0 | 1), topic)) = msg.data().split_first() {
                tx.seal_subscription(b == 1, topic, out);
                continue;
            }
        }
        tx.seal(frame_flags(msg.more(), false), msg.data(), out);
    }
}

/// A read pump met a protocol error (bad frame, oversized message, CURVE
/// MESSAGE that does not open): the complete messages read before it
/// still reach the socket, a message cut short by it does not (libzmq
/// `session_base_t::clean_pipes`), and the connection ends as a protocol
/// error, which a connecter does not retry.
fn protocol_error(pipe: &Rc<RefCell<PipeEnd>>, batch: &mut Vec<Msg>) -> End {
    let complete = batch.iter().rposition(|m| !m.more()).map_or(0, |i| i + 1);
    batch.truncate(complete);
    if !batch.is_empty() {
        pipe.borrow_mut().write_many(batch);
    }
    End::ProtocolError
}

/// What the read pumps share about their connection.
struct Conn<'a> {
    pipe: &'a Rc<RefCell<PipeEnd>>,
    ctl: &'a Control,
    version: zmtp::Version,
    hb: Option<&'a RefCell<Heartbeat>>,
    /// The errno of the read that ended the connection (0 until then).
    read_errno: &'a std::cell::Cell<i32>,
}

impl Conn<'_> {
    /// A read failed or met end of stream: the connection is over.
    fn read_failed(&self, errno: i32) -> End {
        self.read_errno.set(errno);
        End::Disconnected
    }
}

/// The CURVE read pump: every frame is a MESSAGE to open before it means
/// anything. A frame that does not open (bad box, replayed or decreasing
/// nonce, not a MESSAGE) ends the connection with the protocol event
/// libzmq reports.
async fn read_pump_curve<R: AsyncRead>(
    r: &mut R,
    mut buf: BytesMut,
    decoder: &mut Decoder,
    mut rx: CurveRx,
    c: &Conn<'_>,
    sc: &SessionCtx,
) -> End {
    let mut batch: Vec<Msg> = Vec::new();
    let mut chunk = FIRST_CHUNK;
    loop {
        if let Some(hb) = c.hb {
            hb.borrow_mut().on_frame_received();
        }
        loop {
            let frame = match decoder.decode(&mut buf) {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(target: "monocoque::disconnect", "protocol error from the peer: {e}");
                    return protocol_error(c.pipe, &mut batch);
                }
            };
            let Some(inner) = open_box(&mut rx, &frame.body, sc) else {
                return protocol_error(c.pipe, &mut batch);
            };
            take_inbound(c, classify(inner), &mut batch);
        }
        deliver(c, &mut batch).await;
        // A large box is read into a buffer of its own, grown as its bytes
        // arrive (never sized from the announced length alone).
        match decoder.large_header(&buf, LARGE_BODY) {
            Ok(Some(h)) => {
                let boxed = match read_large_body(r, &mut buf, h).await {
                    Ok(body) => crate::msg::pooled_body(body),
                    Err(LargeFail::Closed(errno)) => return c.read_failed(errno),
                    Err(LargeFail::NoMemory) => return protocol_error(c.pipe, &mut batch),
                };
                let Some(inner) = open_box(&mut rx, &boxed, sc) else {
                    return protocol_error(c.pipe, &mut batch);
                };
                take_inbound(c, classify(inner), &mut batch);
                continue;
            }
            Ok(None) => {}
            Err(e) => {
                tracing::debug!("protocol error: {e}");
                return protocol_error(c.pipe, &mut batch);
            }
        }
        match read_more(r, buf, decoder, &mut chunk).await {
            Ok(b) => buf = b,
            Err(errno) => return c.read_failed(errno),
        }
    }
}

/// CURVE: opens one MESSAGE box into the frame it carries; a box that
/// does not open is reported with libzmq's protocol event (None).
fn open_box(rx: &mut CurveRx, boxed: &[u8], sc: &SessionCtx) -> Option<Frame> {
    match rx.open(boxed) {
        Ok((flags, body)) => Some(Frame {
            more: flags & FLAG_MORE != 0,
            command: flags & FLAG_COMMAND != 0,
            body,
        }),
        Err(code) => {
            tracing::warn!(target: "monocoque::disconnect", "CURVE MESSAGE refused: {} ({code:#x})", crate::log::protocol_error_name(code));
            sc.owner
                .event(event::HANDSHAKE_FAILED_PROTOCOL, code, &sc.endpoint);
            None
        }
    }
}

/// Turns a connection's direct writes off when dropped, before its stream
/// closes: no application thread writes to the fd after that (the fd
/// number could otherwise name another file by then).
struct DirectOff<'a>(&'a Rc<RefCell<PipeEnd>>, &'a Direct);

impl Drop for DirectOff<'_> {
    fn drop(&mut self) {
        // During a panic's unwind the pipe may still be borrowed; `close`
        // alone already stops every direct write.
        if let Ok(p) = self.0.try_borrow() {
            p.set_direct_sink(None);
        }
        self.1.close();
    }
}

/// The pump's hold on a connection's write side, released when dropped.
struct WriteSide<'a>(&'a Direct);

impl Drop for WriteSide<'_> {
    fn drop(&mut self) {
        self.0.release();
    }
}

/// Writes every segment, in order, with vectored writes; a partial write
/// resumes inside the segment where it stopped.
async fn write_segments<W: AsyncWrite>(w: &mut W, mut segs: Vec<Bytes>) -> std::io::Result<()> {
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

async fn heartbeat_loop(
    hb: Option<&RefCell<Heartbeat>>,
    ctl: &Control,
    version: zmtp::Version,
) -> End {
    let Some(hb) = hb else {
        return std::future::pending().await;
    };
    loop {
        let next = hb.borrow().next_deadline();
        // Sleep until the next deadline, or until the read pump changes
        // the deadlines (a PING with a TTL arrived).
        ctl.hb_dirty.set(false);
        let changed = poll_fn(|cx| {
            if ctl.hb_dirty.get() {
                return Poll::Ready(());
            }
            *ctl.hb_waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        });
        match next {
            Some(at) => {
                let now = now_ms();
                if at > now {
                    let sleep = compio::time::sleep(Duration::from_millis(at - now));
                    let _ = select(sleep, changed).await;
                }
            }
            None => changed.await,
        }
        let action = hb.borrow_mut().poll(now_ms());
        match action {
            Some(HeartbeatAction::SendPing { ttl_deciseconds }) => {
                ctl.push(|out| zmtp::command::encode_ping(version, ttl_deciseconds, &[], out));
            }
            Some(HeartbeatAction::TimedOut) => {
                tracing::warn!(target: "monocoque::disconnect", "heartbeat timed out: nothing from the peer within ZMQ_HEARTBEAT_TIMEOUT (or its PING TTL)");
                return End::Disconnected;
            }
            None => {}
        }
    }
}

/// STREAM sockets: raw bytes, no ZMTP. Each read is one message; each
/// message's body is written as is.
async fn serve_raw<R: AsyncRead, W: AsyncWrite>(
    mut r: R,
    mut w: W,
    sc: &SessionCtx,
    persistent: Option<Rc<RefCell<PipeEnd>>>,
    peer_address: String,
) -> End {
    let meta = {
        let mut md = Metadata::new();
        if !peer_address.is_empty() {
            md.insert("Peer-Address", peer_address.as_bytes());
        }
        Arc::new(md)
    };
    let pipe = match persistent {
        Some(p) => p,
        None => Rc::new(RefCell::new(attach_new_pipe(
            sc,
            Bytes::new(),
            Some(meta.clone()),
        ))),
    };
    let reader = async {
        let mut buf = BytesMut::with_capacity(READ_CHUNK);
        loop {
            poll_fn(|cx| pipe.borrow_mut().poll_writable(cx)).await;
            if buf.capacity() - buf.len() < 4096 {
                buf.reserve(READ_CHUNK);
            }
            let BufResult(res, b) = r.append(buf).await;
            buf = b;
            match res {
                Ok(0) | Err(_) => return End::Disconnected,
                Ok(_) => {}
            }
            let mut m = Msg::from_bytes(buf.split().freeze());
            m.set_metadata(Some(meta.clone()));
            pipe.borrow_mut().write_unchecked(m);
        }
    };
    let writer = async {
        let mut batch = VecDeque::new();
        loop {
            poll_fn(|cx| pipe.borrow_mut().poll_readable(cx)).await;
            pipe.borrow_mut().read_batch(&mut batch);
            if batch.is_empty() && pipe.borrow().peer_closed() {
                return End::SocketClosed;
            }
            for m in batch.drain(..) {
                let data = m.to_bytes();
                if !data.is_empty() && w.write_all(data).await.0.is_err() {
                    return End::Disconnected;
                }
            }
        }
    };
    let pumps = async {
        match select(reader, writer).await {
            Either::Left(e) | Either::Right(e) => e,
        }
    };
    let end = match select(pumps, sc.stop.wait()).await {
        Either::Left(e) => e,
        Either::Right(()) => End::Stopped,
    };
    end
}
