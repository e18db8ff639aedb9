//! A connection's life after the transport connected: the ZMTP handshake,
//! then a read pump and a write pump (and heartbeats) until one side ends.
//!
//! This file holds the session (`SessionCtx`, `serve`, `serve_stream`: what
//! ends a connection, its pipe, its monitor events); `handshake`, `zap`,
//! `read`, `write`, `curve`, `heartbeat` and `raw` hold the parts, and
//! `framing` the seam the pumps are generic over (ZMTP for tcp and ipc,
//! ZWS for ws: `Via`; raw for STREAM sockets, `raw`, with no handshake).
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

mod curve;
mod framing;
mod handshake;
mod heartbeat;
mod notify;
mod raw;
mod read;
mod write;
mod zap;

use curve::*;
use framing::*;
use handshake::*;
use heartbeat::*;
use raw::*;
use read::*;
use write::*;
use zap::*;

use crate::io::capped::MAX_IO;
use crate::io::direct::{Direct, Kernel};
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
use parking_lot::Mutex;
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

/// Commands the write pump must send besides messages (PONG, PING), each
/// a body (name size, name, data) the connection's framing frames.
#[derive(Default)]
struct Control {
    commands: RefCell<Vec<Bytes>>,
    waker: RefCell<Option<Waker>>,
    /// The heartbeat loop, parked until its deadlines change.
    hb_waker: RefCell<Option<Waker>>,
    hb_dirty: std::cell::Cell<bool>,
    /// Bytes of bodies the write pump takes per batch (0: `BATCH_BYTES`).
    batch_bytes: std::cell::Cell<usize>,
}

impl Control {
    /// A connection's control, its write batches sized by the socket's
    /// options (`batch_budget`).
    fn for_options(o: &Options) -> Control {
        let c = Control::default();
        c.batch_bytes.set(write::batch_budget(o.sndbuf));
        c
    }

    fn push(&self, command: Bytes) {
        self.commands.borrow_mut().push(command);
        if let Some(w) = self.waker.borrow_mut().take() {
            w.wake();
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
    sc.owner.post(Up::Attach(Box::new(ours)));
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
        serve_stream(r, w, sc, persistent, peer_address, fd, Via::Zmtp),
        span,
    )
    .await
}

/// How the session's frames are carried on the stream.
#[derive(Debug)]
pub enum Via {
    /// ZMTP framing (tcp, ipc): the ZMTP greeting first, and the
    /// application threads may write to the fd directly (`io::direct`).
    Zmtp,
    /// ZWS 2.0 (`io::ws`): every frame is one WebSocket message, and the
    /// pumps must see every byte (no direct writes); the WebSocket upgrade
    /// replaced the greeting, so the handshake starts at the mechanism
    /// the subprotocol named.
    Zws(Zws),
}

/// A ws connection's framing, after its upgrade.
#[derive(Debug)]
pub struct Zws {
    pub decoder: zmtp::ws::WsDecoder,
    pub encoder: zmtp::ws::WsEncoder,
    /// The bytes read past the upgrade's HTTP head.
    pub rest: BytesMut,
}

/// `serve`, over what `via` says carries the frames.
pub async fn serve_stream<R: AsyncRead, W: AsyncWrite>(
    mut r: R,
    mut w: W,
    sc: &SessionCtx,
    persistent: Option<Rc<RefCell<PipeEnd>>>,
    peer_address: String,
    fd: i32,
    mut via: Via,
) -> End {
    if kind::is_raw(sc.options.socket_type) {
        // STREAM: no handshake, the same pumps over the raw framing; its
        // end is reported whatever ended it.
        let end = Box::pin(serve_raw(r, w, sc, persistent, peer_address, fd)).await;
        sc.owner.event(event::DISCONNECTED, fd as u32, &sc.endpoint);
        return end;
    }
    let o = &sc.options;
    // Boxed: nested futures moved into selects are otherwise stored several
    // times over in this one (30 KB per connection before; 10k connections).
    let hs = Box::pin(handshake(&mut r, &mut w, sc, &peer_address, fd, &mut via));
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
    let active = persistent.is_some();
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
            let resubscribe = kind::hiccups(o.socket_type)
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
    let ctl = Control::for_options(&sc.options);
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
    // CURVE seals every frame: the read pump opens them (`CurveOpen`), the
    // write pump and direct writes seal them with one shared sender.
    let (curve_tx, curve_rx) = match est.cipher {
        Some(c) => (Some(c.tx), Some(c.rx)),
        None => (None, None),
    };
    notify::connected(o, &pipe);
    let read_errno = std::cell::Cell::new(0);
    let run = Run {
        sc,
        pipe: &pipe,
        ctl: &ctl,
        version,
        hb: hb.as_ref(),
        read_errno: &read_errno,
        meta,
        fd,
        curve_tx,
        curve_rx,
        first: est.output,
        first_commands: est.commands,
    };
    let end = match &mut via {
        Via::Zmtp => {
            let (mut decoder, mut encoder) = (est.decoder, est.encoder);
            run.pumps(&mut r, &mut w, buf, &mut decoder, &mut encoder, true)
                .await
        }
        Via::Zws(z) => {
            run.pumps(&mut r, &mut w, buf, &mut z.decoder, &mut z.encoder, false)
                .await
        }
    };
    notify::broke(o, &pipe, end, active);
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

/// A connection after its handshake, ready for its pumps.
struct Run<'a> {
    sc: &'a SessionCtx,
    pipe: &'a Rc<RefCell<PipeEnd>>,
    ctl: &'a Control,
    version: zmtp::Version,
    hb: Option<&'a RefCell<Heartbeat>>,
    read_errno: &'a std::cell::Cell<i32>,
    meta: Arc<Metadata>,
    fd: i32,
    curve_tx: Option<CurveTx>,
    curve_rx: Option<CurveRx>,
    /// The handshake's last bytes (ZMTP), to go out first.
    first: BytesMut,
    /// Or its last commands, when the framing frames them (ZWS).
    first_commands: Vec<Bytes>,
}

impl Run<'_> {
    /// Runs the read pump, the write pump and the heartbeats over one
    /// framing until one of them (or the stop signal) ends the connection.
    /// `direct_ok`: the framing is the stream's own (ZMTP), so application
    /// threads may write to the fd directly.
    async fn pumps<R: AsyncRead, W: AsyncWrite, D: RxFraming, E: TxFraming>(
        self,
        r: &mut R,
        w: &mut W,
        buf: BytesMut,
        decoder: &mut D,
        encoder: &mut E,
        direct_ok: bool,
    ) -> End {
        let Run {
            sc,
            pipe,
            ctl,
            version,
            hb,
            read_errno,
            meta,
            fd,
            mut curve_tx,
            curve_rx,
            mut first,
            first_commands,
        } = self;
        let o = &sc.options;
        let reader = Box::pin(async {
            let conn = Conn {
                pipe,
                ctl,
                version,
                hb,
                read_errno,
                groups: kind::takes_groups(o.socket_type),
            };
            // Every frame from here on carries this connection's metadata:
            // one marker in the pipe, attached by the reading socket.
            pipe.borrow_mut().write_metadata_mark(meta);
            match curve_rx {
                None => read_pump(r, buf, decoder, &mut Plain, &conn).await,
                Some(rx) => {
                    let mut open = CurveOpen { rx, sc };
                    read_pump(r, buf, decoder, &mut open, &conn).await
                }
            }
        });
        let subscriber = kind::is_subscriber(o.socket_type);
        // The handshake's last bytes, then the hello, go out before any
        // direct write may.
        for c in &first_commands {
            encoder.command(c, None, &mut first);
        }
        notify::hello(
            o.hello_to_send().map(|h| &h[..]),
            encoder,
            curve_tx.as_mut(),
            &mut first,
        );
        if !write_out(w, &mut first).await {
            return End::Disconnected;
        }
        // From here on CURVE's sender is shared: the pump and the direct
        // writes seal under the write side, in the order they write.
        let curve_tx = curve_tx.map(|tx| Arc::new(Mutex::new(tx)));
        let direct = (direct_ok && fd >= 0)
            .then(|| Arc::new(Direct::new(fd, version, subscriber).sealed_by(curve_tx.clone())));
        if let Some(d) = &direct {
            pipe.borrow()
                .set_direct_sink(Some(d.clone() as Arc<dyn DirectSink>));
        }
        // Ends direct writes before the stream closes on every way out, a
        // panic's unwind included (it drops this before the stream).
        let _direct_off = direct.as_ref().map(|d| DirectOff(pipe, d));
        let writer = Box::pin(write_pump(
            w,
            pipe,
            ctl,
            encoder,
            direct.as_deref(),
            subscriber,
            curve_tx,
        ));
        let beats = Box::pin(heartbeat_loop(hb, ctl));
        let pumps = async {
            match select(reader, select(writer, beats)).await {
                Either::Left(e) => e,
                Either::Right(Either::Left(e)) | Either::Right(Either::Right(e)) => e,
            }
        };
        match select(pumps, sc.stop.wait()).await {
            Either::Left(e) => e,
            Either::Right(()) => End::Stopped,
        }
    }
}

fn now_ms() -> u64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_millis() as u64
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
    /// RADIO: JOIN/LEAVE commands go to the socket (`kind::takes_groups`).
    groups: bool,
}

impl Conn<'_> {
    /// A read failed or met end of stream: the connection is over.
    fn read_failed(&self, errno: i32) -> End {
        self.read_errno.set(errno);
        End::Disconnected
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

#[cfg(test)]
mod tests;
