//! Sockets: libzmq's socket types over pipes. Pure, synchronous Rust: no I/O
//! happens here. A `Socket` owns its options, its pipes and one `Pattern`
//! (the socket type's routing); blocking calls wait on the socket's signaler.
//!
//! The patterns build on three shared helpers, named as in libzmq: `lb`
//! (load-balance), `fq` (fair-queue) and `dist` (distribute), and the
//! subscription `trie`.

#![forbid(unsafe_code)]

mod channel;
mod client;
pub mod dealer;
mod dgram;
mod dish;
pub mod dist;
mod draft;
#[cfg(test)]
mod draft_tests;
pub mod endpoint;
pub mod fq;
mod host;
pub mod inproc;
pub mod lb;
pub mod monitor;
mod owner;
pub mod pair;
mod pipes;
pub mod proxy;
pub mod pub_;
#[cfg(test)]
mod pubsub_tests;
pub mod pull;
pub mod push;
mod radio;
pub mod rep;
pub mod req;
pub mod router;
mod server;
mod single;
#[cfg(not(feature = "draft"))]
pub use single::is_thread_safe;
pub mod stream;
pub mod sub;
pub mod trie;
pub mod xpub;
pub mod xsub;

use crate::error::{Error, Result};
use crate::io::signaler::Signaler;
use crate::msg::Msg;
use crate::options::{opt, OptVal, Options};
use crate::pipe::PipeEnd;
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use host::Host;
pub use pipes::{IdHash, Pipes};

/// Socket type numbers (zmq.h).
pub mod types {
    // The numbers are defined once, in `zmtp::socket_type`.
    pub use crate::zmtp::socket_type::{
        ZMQ_DEALER as DEALER, ZMQ_PAIR as PAIR, ZMQ_PUB as PUB, ZMQ_PULL as PULL, ZMQ_PUSH as PUSH,
        ZMQ_REP as REP, ZMQ_REQ as REQ, ZMQ_ROUTER as ROUTER, ZMQ_STREAM as STREAM, ZMQ_SUB as SUB,
        ZMQ_XPUB as XPUB, ZMQ_XSUB as XSUB,
    };
}

/// Send/recv flags.
pub const DONTWAIT: i32 = 1;
pub const SNDMORE: i32 = 2;

/// Poll event bits.
pub const POLLIN: i16 = 1;
pub const POLLOUT: i16 = 2;

/// A receiver that only receives keeps spinning before its waits while each
/// spin is followed by at least this many frames, and starts again after a
/// sleep followed by `STREAM_RESPIN_MIN` (see `Socket::wait`).
const STREAM_SPIN_MIN: u64 = 64;
const STREAM_RESPIN_MIN: u64 = 256;

/// Whether a receive-only thread spins before this wait, given whether it
/// spun before the last one and how many frames it got in between: fewer
/// than `STREAM_SPIN_MIN` after a spin is a trickle (the spin caught each
/// frame alone); after a sleep, frames that piled up during it are no sign
/// until they reach `STREAM_RESPIN_MIN`.
fn stream_spins(spun: bool, got: u64) -> bool {
    got >= if spun {
        STREAM_SPIN_MIN
    } else {
        STREAM_RESPIN_MIN
    }
}

/// A socket type's routing. Every method is called with the socket's state
/// locked, and never blocks: "would block" is `EAGAIN`.
pub trait Pattern: Send {
    /// A new pipe joined the socket.
    fn attach(&mut self, pipes: &mut Pipes, id: u64);
    /// A pipe left the socket (already removed from `pipes`).
    fn detach(&mut self, id: u64);
    /// Sends one frame; on failure the frame is handed back.
    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)>;
    /// Receives one frame.
    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg>;
    /// As `recv`, into `out` (replaced; left as it was, or empty, on
    /// failure). The receive path of the hot types: a frame is written
    /// once, from the pipe's batch into the caller's message (C's
    /// `zmq_msg_t` for `zmq_msg_recv`), where a chain of `Msg` return
    /// values copied it five times, each copy's wide loads stalling on the
    /// narrower stores of the one before.
    fn recv_into(&mut self, pipes: &mut Pipes, out: &mut Msg) -> Result<()> {
        // The metadata `out` lends (see `PipeEnd::read_into`) waits in the
        // thread's spare for the frame `recv` reads into a message of its own.
        crate::pipe::offer_spare_metadata(out.take_metadata());
        *out = self.recv(pipes)?;
        Ok(())
    }
    fn has_in(&mut self, pipes: &mut Pipes) -> bool;
    fn has_out(&mut self, pipes: &mut Pipes) -> bool;
    /// Socket-type options; `None` when the option is not this type's.
    fn setsockopt(&mut self, _option: i32, _value: &[u8]) -> Option<Result<()>> {
        None
    }
    fn getsockopt(&self, _option: i32) -> Option<Result<OptVal>> {
        None
    }
    /// A pipe attached with `identity_pending` now has its peer's routing
    /// id (ROUTER connecting out).
    fn identified(&mut self, _pipes: &mut Pipes, _id: u64) {}
    /// A connecter's pipe has a new connection (libzmq `xhiccuped`). As in
    /// libzmq only SUB/XSUB pipes hiccup: they drop what was queued for the
    /// old connection and send every subscription again. Other types keep
    /// their queue for the new connection.
    fn hiccuped(&mut self, _pipes: &mut Pipes, _id: u64) {}
    #[cfg_attr(not(feature = "draft"), allow(dead_code))]
    /// Draft `zmq_socket_get_peer_state`: `None` when the type has no
    /// peers by routing id (libzmq: ENOTSUP).
    fn peer_state(&mut self, _pipes: &mut Pipes, _routing_id: &[u8]) -> Option<Result<i32>> {
        None
    }
    #[cfg_attr(not(feature = "draft"), allow(dead_code))]
    /// Draft: the routing id a SERVER/PEER gave this pipe (0: none).
    fn routing_id_of(&self, _pipe: u64) -> u32 {
        0
    }
    #[cfg_attr(not(feature = "draft"), allow(dead_code))]
    /// Draft `zmq_join`/`zmq_leave`: `None` when the type has no groups.
    fn join(&mut self, _pipes: &mut Pipes, _group: &[u8], _join: bool) -> Option<Result<()>> {
        None
    }
}

/// Whether a socket's state lock may be biased to the thread using it
/// (`io::biased`). Not for the thread-safe draft types, used from many
/// threads by design. (The publish-subscribe types are: the I/O thread
/// that runs their commands (`post`) revokes the bias when the owner is
/// out, once per connection.)
fn biasable(socket_type: i32) -> bool {
    !single::is_thread_safe(socket_type)
}

/// A new pattern for a socket type, with the options it needs.
fn make_pattern(socket_type: i32, options: &mut Options) -> Result<Box<dyn Pattern>> {
    use types::*;
    Ok(match socket_type {
        PAIR => Box::new(pair::Pair::default()),
        PUB => Box::new(pub_::Pub::default()),
        SUB | XSUB => {
            // libzmq's xsub_t: pending subscriptions are not worth waiting
            // for at close, whatever the context's BLOCKY says.
            options.linger = 0;
            if socket_type == SUB {
                Box::new(sub::Sub::default())
            } else {
                Box::new(xsub::XSub::new())
            }
        }
        REQ => Box::new(req::Req::default()),
        REP => {
            options.recv_routing_id = true;
            Box::new(rep::Rep::default())
        }
        DEALER => Box::new(dealer::Dealer::default()),
        ROUTER => {
            options.recv_routing_id = true;
            Box::new(router::Router::default())
        }
        PULL => Box::new(pull::Pull::default()),
        PUSH => Box::new(push::Push::default()),
        XPUB => Box::new(xpub::XPub::new()),
        STREAM => {
            options.raw_socket = true;
            Box::new(stream::Stream::default())
        }
        // The draft types, in every build: a stable libzmq 4.3.x creates
        // them too (only 21 and up get EINVAL). Without the draft API a
        // SERVER still answers by sending back the message it received.
        // (Over tcp/ipc the stable libzmq aborts in its handshake, which
        // has no name for them; both our builds speak ZMTP for them.)
        12..=20 => return draft::make_pattern(socket_type, options),
        _ => return Err(Error::INVAL),
    })
}

/// What `send` sends: a message, or bytes still to be copied into one.
enum Outgoing<'a> {
    Msg(Msg),
    Copy(&'a [u8]),
}

impl Outgoing<'_> {
    fn into_msg(self) -> Msg {
        match self {
            Outgoing::Msg(m) => m,
            Outgoing::Copy(d) => Msg::from_slice(d),
        }
    }
}

/// Commands sent to a socket from other threads (I/O threads, inproc
/// peers): defined below the socket layer, in the seam (`io::owner`).
pub use crate::io::owner::Up as Command;

/// Where a socket is bound or connected, for unbind/disconnect.
pub struct Endpoint {
    pub uri: String,
    pub bound: bool,
    /// Stops the listener or connecter behind it.
    pub stop: Option<Box<dyn FnOnce() + Send>>,
    /// Pipe ids made for this endpoint.
    pub pipes: Vec<u64>,
    /// A listener's fd (for monitor events), -1 otherwise.
    pub fd: i32,
}

pub struct State {
    /// Where small outgoing bodies are copied, many to one allocation.
    slab: crate::msg::Slab,
    pub options: Options,
    pattern: Box<dyn Pattern>,
    pub pipes: Pipes,
    /// Frames received so far (wraps): how much a receiver got between two
    /// waits (see `Socket::wait`).
    received: u64,
    pub endpoints: Vec<Endpoint>,
    pub last_endpoint: String,
}

pub struct Socket {
    /// The context that made the socket.
    pub ctx: Arc<dyn Host>,
    pub socket_type: i32,
    pub signaler: Arc<Signaler>,
    mailbox: Mutex<Vec<Command>>,
    has_mail: AtomicBool,
    /// Locked by every call; biased to the thread using the socket, which
    /// then takes it without an atomic read-modify-write (`io::biased`).
    state: crate::io::biased::BiasedMutex<State>,
    closed: AtomicBool,
    /// Raised by `close`: listeners stop accepting, handshakes in progress
    /// give up, connecters deliver what is queued within the linger.
    pub closing: Arc<crate::io::stop::Stop>,
    monitor: Mutex<Option<monitor::Monitor>>,
    /// `zmq_disconnect` was called with `ZMQ_RECONNECT_STOP_AFTER_DISCONNECT`.
    disconnected: AtomicBool,
    /// `pipe::sends` and the count of frames received when a receive last
    /// waited here (see `wait`).
    waited_sends: AtomicU64,
    waited_received: AtomicU64,
    /// The last receive wait of a receive-only thread spun (see
    /// `receiver_spins`).
    stream_spun: AtomicBool,
    /// `ZMQ_RCVMORE`: the last frame received has more after it. Outside
    /// the state lock, so asking for it (bindings do after every frame of
    /// a multipart message) takes no lock; written only by a receive,
    /// which holds the lock.
    rcvmore: AtomicBool,
}

impl Socket {
    /// A socket of `ctx`, with the context's IPV6 and BLOCKY as defaults.
    pub fn new(
        ctx: Arc<dyn Host>,
        socket_type: i32,
        ipv6: bool,
        blocky: bool,
    ) -> Result<Arc<Socket>> {
        let mut options = Options::new(socket_type, ipv6, blocky);
        let pattern = make_pattern(socket_type, &mut options)?;
        let signaler = if single::is_thread_safe(socket_type) {
            Signaler::new_shared()
        } else {
            Signaler::new()
        };
        let signaler = Arc::new(signaler.map_err(|_| Error::MFILE)?);
        Ok(Arc::new(Socket {
            ctx,
            socket_type,
            signaler,
            mailbox: Mutex::new(Vec::new()),
            has_mail: AtomicBool::new(false),
            state: crate::io::biased::BiasedMutex::new(
                State {
                    slab: crate::msg::Slab::default(),
                    options,
                    pattern,
                    pipes: Pipes::default(),
                    received: 0,
                    endpoints: Vec::new(),
                    last_endpoint: String::new(),
                },
                biasable(socket_type),
            ),
            closed: AtomicBool::new(false),
            closing: Arc::new(crate::io::stop::Stop::default()),
            monitor: Mutex::new(None),
            disconnected: AtomicBool::new(false),
            waited_sends: AtomicU64::new(0),
            waited_received: AtomicU64::new(0),
            stream_spun: AtomicBool::new(true),
            rcvmore: AtomicBool::new(false),
        }))
    }

    /// Queues a command for the socket's owner thread and wakes it.
    pub fn post(&self, cmd: Command) {
        {
            let mut mailbox = self.mailbox.lock();
            // `close` sets `closed` before it empties the mailbox (under
            // this lock), so a command posted after that is seen here and
            // dropped: a connection whose handshake finished as the socket
            // closed gets its pipe closed and ends, instead of waiting
            // forever in a mailbox nobody reads (issue 14).
            if self.is_closed() {
                drop(mailbox);
                drop(cmd);
                return;
            }
            mailbox.push(cmd);
        }
        self.has_mail.store(true, Ordering::SeqCst);
        // Publish-subscribe sockets run the command now when no thread is
        // inside the socket: a new pipe gets its subscriptions (or welcome
        // message) at once, not at the application's next call. Other types
        // wait for that call, so that pipes arriving together attach in
        // accept order (load-balancing follows it, as in libzmq).
        let eager = matches!(
            self.socket_type,
            types::SUB | types::XSUB | types::PUB | types::XPUB
        );
        if let Some(mut st) = eager.then(|| self.state.try_lock_revoking()).flatten() {
            if !self.is_closed() {
                self.process_commands(&mut st);
            }
        }
        self.signaler.signal();
    }

    /// Runs queued commands; called with the state locked on every API call.
    #[inline]
    fn process_commands(&self, st: &mut State) {
        // A plain load first: the common case writes nothing to the line
        // the I/O threads post to.
        if self.has_mail.load(Ordering::SeqCst) {
            self.process_mail(st);
        }
    }

    #[cold]
    fn process_mail(&self, st: &mut State) {
        if !self.has_mail.swap(false, Ordering::AcqRel) {
            return;
        }
        let mut cmds = std::mem::take(&mut *self.mailbox.lock());
        // Connections accepted together attach in accept order, whatever
        // order their handshakes finished in (round robin follows it).
        cmds.sort_by_key(|c| match c {
            Command::Attach(p) => p.order,
            Command::Identify(..) | Command::EndpointGone(..) | Command::Hiccup(..) => u64::MAX,
        });
        for cmd in cmds {
            match cmd {
                Command::Attach(pipe) => self.attach_locked(st, *pipe),
                Command::EndpointGone(uri) => {
                    if let Some(i) = st.endpoints.iter().position(|e| !e.bound && e.uri == uri) {
                        st.endpoints.remove(i);
                    }
                }
                Command::Hiccup(id) => {
                    if st.pipes.get(id).is_some() {
                        st.pattern.hiccuped(&mut st.pipes, id);
                        if let Some(p) = st.pipes.get(id) {
                            p.end_hiccup();
                        }
                        self.reap(st);
                    }
                }
                Command::Identify(id, rid) => {
                    if let Some(p) = st.pipes.get(id) {
                        p.peer_routing_id = rid;
                        p.identity_pending = false;
                        st.pattern.identified(&mut st.pipes, id);
                        self.reap(st);
                    }
                }
            }
        }
    }

    /// Adds a pipe to the socket (caller holds the state).
    pub fn attach_locked(&self, st: &mut State, mut pipe: PipeEnd) {
        if self.closed.load(Ordering::Acquire) {
            return; // dropping the end closes it
        }
        pipe.set_signaler(&self.signaler);
        pipe.set_activations(&st.pipes.activations);
        // What the peer queued before this attach raised no signal.
        self.signaler.signal_input();
        let id = pipe.id;
        let endpoint = pipe.endpoint.clone();
        st.pipes.map.insert(pipe);
        if let Some(ep) = st.endpoints.iter_mut().find(|e| e.uri == endpoint) {
            ep.pipes.push(id);
        }
        st.pattern.attach(&mut st.pipes, id);
        self.reap(st);
    }

    /// Runs queued commands now (for other modules of the socket layer).
    pub(crate) fn process_commands_locked(&self, st: &mut State) {
        self.process_commands(st);
    }

    /// Removes pipes marked dead (for other modules of the socket layer).
    pub(crate) fn reap_locked(&self, st: &mut State) {
        self.reap(st);
    }

    /// Removes pipes the pattern found finished.
    #[inline]
    fn reap(&self, st: &mut State) {
        if !st.pipes.dead.is_empty() {
            self.reap_dead(st);
        }
    }

    #[cold]
    fn reap_dead(&self, st: &mut State) {
        while let Some(id) = st.pipes.dead.pop() {
            if let Some(mut p) = st.pipes.map.remove(id) {
                p.close();
                st.pattern.detach(id);
                // The endpoint forgets it too: a listener's list would
                // otherwise grow by one id per connection it ever accepted.
                if let Some(ep) = st.endpoints.iter_mut().find(|e| e.uri == p.endpoint) {
                    if let Some(i) = ep.pipes.iter().position(|&x| x == id) {
                        ep.pipes.swap_remove(i);
                    }
                }
            }
        }
    }

    /// Locks the socket's state after running pending commands.
    pub fn lock(&self) -> Result<crate::io::biased::BiasedGuard<'_, State>> {
        if self.ctx.is_terminating() {
            return Err(Error::TERM);
        }
        let mut st = self.state.lock();
        self.process_commands(&mut st);
        Ok(st)
    }

    /// For log lines: the type and endpoints, without waiting for a lock
    /// another thread may hold.
    pub fn describe(&self) -> String {
        let eps = self.state.try_lock().map(|st| {
            let uris: Vec<&str> = st.endpoints.iter().map(|e| e.uri.as_str()).collect();
            uris.join(" ")
        });
        format!(
            "{} [{}]",
            crate::zmtp::socket_type_name(self.socket_type),
            eps.unwrap_or_else(|| "in use".to_string())
        )
    }

    /// Sends one frame; on failure the frame is handed back (C keeps it).
    pub fn send(&self, msg: Msg, flags: i32) -> std::result::Result<(), (Error, Msg)> {
        self.send_outgoing(Outgoing::Msg(msg), flags)
    }

    /// Sends one frame copied from `data` (`zmq_send`): small bodies are
    /// carved from the socket's slab, under the same lock as the send.
    pub fn send_slice(&self, data: &[u8], flags: i32) -> Result<()> {
        self.send_outgoing(Outgoing::Copy(data), flags)
            .map_err(|(e, _)| e)
    }

    fn send_outgoing(
        &self,
        mut out: Outgoing<'_>,
        flags: i32,
    ) -> std::result::Result<(), (Error, Msg)> {
        let mut deadline: Option<Instant> = None;
        let blocking = flags & DONTWAIT == 0;
        // Announced only before a wait (the fast path skips the fence); the
        // state is checked once more after arming.
        let mut armed = false;
        let r = loop {
            self.signaler.clear();
            // A thread-safe socket's waiters: the generation before the look.
            let token = self.signaler.token();
            let timeout = {
                let mut st = match self.lock() {
                    Ok(st) => st,
                    Err(e) => break Err((e, out.into_msg())),
                };
                let st = &mut *st;
                st.pipes.input_hint = self.signaler.take_input();
                let mut msg = match out {
                    Outgoing::Msg(m) => m,
                    Outgoing::Copy(d) => st.slab.copy(d),
                };
                msg.set_more(flags & SNDMORE != 0);
                let r = st.pattern.send(&mut st.pipes, msg);
                self.reap(st);
                match r {
                    Ok(()) => break Ok(()),
                    Err((e, m)) if e == Error::AGAIN => {
                        crate::log::hwm_refused(self.socket_type, st.options.sndhwm, blocking);
                        out = Outgoing::Msg(m)
                    }
                    Err(e) => break Err(e),
                }
                if blocking && st.options.sndtimeo != 0 {
                    // About to wait: catch up with what readers consumed
                    // (the retry after arming sees it).
                    st.pipes.refresh_write_views();
                }
                st.options.sndtimeo
            };
            if !blocking || timeout == 0 {
                break Err((Error::AGAIN, out.into_msg()));
            }
            if !armed {
                self.signaler.arm();
                armed = true;
                continue;
            }
            if let Err(e) = self.wait(timeout, &mut deadline, token, None) {
                break Err((e, out.into_msg()));
            }
        };
        self.signaler.disarm();
        r
    }

    /// Receives one frame, blocking per flags and `ZMQ_RCVTIMEO`.
    pub fn recv(&self, flags: i32) -> Result<Msg> {
        let mut m = Msg::new();
        self.recv_into(flags, &mut m).map(|()| m)
    }

    /// As `recv`, into `out` (replaced; left as it was, or empty, on
    /// failure; see `Pattern::recv_into`).
    pub fn recv_into(&self, flags: i32, out: &mut Msg) -> Result<()> {
        let mut deadline: Option<Instant> = None;
        let blocking = flags & DONTWAIT == 0;
        // Announced only before a wait (the fast path skips the fence); the
        // state is checked once more after arming.
        let mut armed = false;
        let r = loop {
            self.signaler.clear();
            // A thread-safe socket's waiters: the generation before the look.
            let token = self.signaler.token();
            let (timeout, received) = {
                let mut st = match self.lock() {
                    Ok(st) => st,
                    Err(e) => break Err(e),
                };
                let st = &mut *st;
                let r = st.pattern.recv_into(&mut st.pipes, out);
                self.reap(st);
                match r {
                    Ok(()) => {
                        self.rcvmore.store(out.more(), Ordering::Relaxed);
                        st.received = st.received.wrapping_add(1);
                        break Ok(());
                    }
                    Err(e) if e == Error::AGAIN => {}
                    Err(e) => break Err(e),
                }
                (st.options.rcvtimeo, st.received)
            };
            if !blocking || timeout == 0 {
                // A thread polling with non-blocking receives waits too.
                crate::io::direct::waited();
                break Err(Error::AGAIN);
            }
            if !armed {
                self.signaler.arm();
                armed = true;
                continue;
            }
            if let Err(e) = self.wait(timeout, &mut deadline, token, Some(received)) {
                break Err(e);
            }
        };
        self.signaler.disarm();
        r
    }

    /// Waits for the signaler until the call's deadline. `EAGAIN` when it
    /// passes, `ETERM` when the context is shutting down, `EINTR` on signals.
    /// A thread-safe socket's waiter sleeps until a signal after `token`.
    ///
    /// A waiter spins briefly before it sleeps when an answer may come
    /// within microseconds: always for a sender waiting for room; for a
    /// receiver, as `receiver_spins` decides (a consumer of a trickle
    /// sleeps at once, as libzmq's does: spinning for each of its frames
    /// burned a core per consumer and, where threads take turns, as under
    /// Python's GIL, made every frame a handover between them).
    /// `received`: the socket's count of frames received, for a receive;
    /// `None` for a send.
    fn wait(
        &self,
        timeout_ms: i32,
        deadline: &mut Option<Instant>,
        token: u64,
        received: Option<u64>,
    ) -> Result<()> {
        if received.is_some() {
            crate::io::direct::waited();
        }
        let wait_ms = if timeout_ms < 0 {
            -1
        } else {
            let d = *deadline
                .get_or_insert_with(|| Instant::now() + Duration::from_millis(timeout_ms as u64));
            let left = d.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Error::AGAIN);
            }
            left.as_millis().max(1) as i32
        };
        if self.signaler.is_shared() {
            // Several threads may wait here: each sleeps until the socket
            // changed after its own look (every waiter is woken).
            self.signaler.wait_shared(token, wait_ms);
            if self.ctx.is_terminating() {
                return Err(Error::TERM);
            }
            return Ok(());
        }
        let spin = received.is_none_or(|got| self.receiver_spins(got));
        match self.signaler.wait(wait_ms, spin) {
            Ok(_) => {}
            Err(e) if e.raw_os_error() == Some(libc::EINTR) => return Err(Error::INTR),
            Err(e) => return Err(Error::from(e)),
        }
        if self.ctx.is_terminating() {
            return Err(Error::TERM);
        }
        Ok(())
    }

    /// Whether a receiver about to wait spins first (see `wait`): its
    /// thread sent since its last wait here (a request's reply, a worker's
    /// next task may come at once), or the frames it got since say the
    /// stream comes in batches (`stream_spins`: the next batch is on its
    /// way, and a sleep would leave a bubble in the stream).
    fn receiver_spins(&self, received: u64) -> bool {
        let sent = crate::pipe::sends();
        let sent_before = self.waited_sends.swap(sent, Ordering::Relaxed);
        let got = received.wrapping_sub(self.waited_received.swap(received, Ordering::Relaxed));
        if sent != sent_before {
            return true;
        }
        let spin = stream_spins(self.stream_spun.load(Ordering::Relaxed), got);
        self.stream_spun.store(spin, Ordering::Relaxed);
        spin
    }

    /// `ZMQ_EVENTS`: what the socket could do now. Consumes the signal first
    /// so that any later change makes `ZMQ_FD` readable again.
    pub fn events(&self) -> Result<i16> {
        self.signaler.clear();
        let mut st = self.lock()?;
        let st = &mut *st;
        // Polling sees every read so far (libzmq processes all pending
        // commands for ZMQ_EVENTS and zmq_poll).
        st.pipes.refresh_write_views();
        let mut ev = 0;
        if st.pattern.has_in(&mut st.pipes) {
            ev |= POLLIN;
        }
        if st.pattern.has_out(&mut st.pipes) {
            ev |= POLLOUT;
        }
        self.reap(st);
        Ok(ev)
    }

    pub fn setsockopt(&self, option: i32, value: &[u8]) -> Result<()> {
        let mut guard = self.lock()?;
        let st = &mut *guard;
        if let Some(r) = st.pattern.setsockopt(option, value) {
            // Let the pattern act on the pipes now (a SUB's subscription
            // goes upstream at once, not at the next call).
            st.pattern.has_out(&mut st.pipes);
            self.reap(st);
            drop(guard);
            if option == opt::SUBSCRIBE || option == opt::UNSUBSCRIBE {
                // A publisher filters by what has reached it, and the
                // caller rarely waits after subscribing: it goes on to
                // work, maybe to make the publisher send. The thread that
                // carries the subscription on (an I/O thread, ours or the
                // peer's) was just woken, often onto this CPU, and a wakeup
                // by TCP data or by the runtime's waker does not preempt
                // us. Give it the CPU now, as libzmq's mailbox wakeup does.
                std::thread::yield_now();
            }
            return r;
        }
        st.options.set(option, value)?;
        if option == opt::SNDHWM || option == opt::RCVHWM {
            // libzmq applies new marks to the pipes it already has.
            let (snd, rcv) = (st.options.sndhwm, st.options.rcvhwm);
            for p in st.pipes.map.values() {
                let (out, inn) = match p.inproc_peer_hwm {
                    Some((psnd, prcv)) => (inproc::sum_hwm(snd, prcv), inproc::sum_hwm(rcv, psnd)),
                    None => (snd.max(0) as u64, rcv.max(0) as u64),
                };
                p.set_hwms(out, inn);
            }
        }
        Ok(())
    }

    /// `ZMQ_RCVMORE` without the state lock (see the field).
    pub fn rcvmore(&self) -> Result<bool> {
        if self.ctx.is_terminating() {
            return Err(Error::TERM);
        }
        Ok(self.rcvmore.load(Ordering::Relaxed))
    }

    pub fn getsockopt(&self, option: i32) -> Result<OptVal> {
        match option {
            opt::FD if single::is_thread_safe(self.socket_type) => {
                // libzmq: a thread-safe socket has no ZMQ_FD.
                return Err(Error::INVAL);
            }
            opt::FD => {
                // The application polls it from now on: every change must
                // make it readable.
                self.signaler.export();
                return Ok(OptVal::Fd(self.signaler.fd()));
            }
            opt::EVENTS => return Ok(OptVal::Int(self.events()? as i32)),
            _ => {}
        }
        if option == opt::RCVMORE {
            return self.rcvmore().map(|more| OptVal::Int(more as i32));
        }
        let st = self.lock()?;
        match option {
            opt::LAST_ENDPOINT => Ok(OptVal::Str(st.last_endpoint.clone())),
            _ => match st.pattern.getsockopt(option) {
                Some(r) => r,
                None => st.options.get(option),
            },
        }
    }

    /// Closes the socket: pipes deliver what they hold within the linger
    /// period (sessions enforce it), and no more calls reach it.
    pub fn close(&self) {
        if self.closed.swap(true, Ordering::AcqRel) {
            return;
        }
        let mut st = self.state.lock();
        self.process_commands(&mut st);
        let linger = st.options.linger;
        for mut p in st.pipes.map.drain() {
            p.close_with_linger(linger);
        }
        // Endpoints are not stopped hard: sessions finish delivering within
        // the linger period and end on their own. Listeners close now.
        for ep in st.endpoints.drain(..) {
            if ep.bound && ep.fd >= 0 {
                self.event(monitor::event::CLOSED, ep.fd as u32, &ep.uri);
            }
        }
        drop(st);
        self.closing.stop();
        // Anything posted after we drained is dropped (its pipe closes).
        self.mailbox.lock().clear();
        self.stop_monitor();
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// Whether `zmq_disconnect` ran under `ZMQ_RECONNECT_STOP_AFTER_DISCONNECT`.
    pub fn is_disconnected(&self) -> bool {
        self.disconnected.load(Ordering::Acquire)
    }

    pub(crate) fn set_disconnected(&self) {
        self.disconnected.store(true, Ordering::Release);
    }

    /// Wakes a thread blocked in this socket (context shutdown).
    pub fn wake(&self) {
        self.signaler.force();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receiver_of_a_trickle_stops_spinning_and_one_of_batches_starts_again() {
        // Spinning, a batch after each spin: spins on.
        assert!(stream_spins(true, 1000));
        assert!(stream_spins(true, STREAM_SPIN_MIN));
        // A trickle after a spin (each frame caught alone): sleeps.
        assert!(!stream_spins(true, 1));
        assert!(!stream_spins(true, STREAM_SPIN_MIN - 1));
        // Asleep: frames that piled up during a sleep are not enough...
        assert!(!stream_spins(false, STREAM_SPIN_MIN));
        assert!(!stream_spins(false, STREAM_RESPIN_MIN - 1));
        // ...a stream that outruns the wakeups is.
        assert!(stream_spins(false, STREAM_RESPIN_MIN));
    }
}
