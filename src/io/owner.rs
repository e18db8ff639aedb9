//! The one seam between the I/O layer and the sockets: what a connection,
//! listener or connecter may ask of "the thing that owns this connection's
//! pipe". It is defined here, below `socket`, and `socket::Socket`
//! implements it, so the I/O layer never names a socket or a context — as
//! libzmq's engine talks to its session and never to the socket.
//!
//! Must never grow a method that hands out the socket's state: a session
//! tells its owner things and asks it for resources; routing stays above.

use crate::error::Result;
use crate::io::runtime::IoPool;
use crate::io::stop::Stop;
use crate::pipe::{ConnEnds, PipeEnd};
use bytes::Bytes;
use std::sync::Arc;

/// Monitor event numbers (zmq.h `ZMQ_EVENT_*`), for `Owner::event` and the
/// monitor that frames them (`socket::monitor`). Some are not emitted yet
/// (CLOSE_FAILED, HANDSHAKE_FAILED_AUTH).
#[allow(dead_code, unused_imports)]
pub mod event {
    pub const CONNECTED: u16 = 0x0001;
    pub const CONNECT_DELAYED: u16 = 0x0002;
    pub const CONNECT_RETRIED: u16 = 0x0004;
    pub const LISTENING: u16 = 0x0008;
    pub const BIND_FAILED: u16 = 0x0010;
    pub const ACCEPTED: u16 = 0x0020;
    pub const ACCEPT_FAILED: u16 = 0x0040;
    pub const CLOSED: u16 = 0x0080;
    pub const CLOSE_FAILED: u16 = 0x0100;
    pub const DISCONNECTED: u16 = 0x0200;
    pub const MONITOR_STOPPED: u16 = 0x0400;
    // The handshake failures are named where the handshake decides them.
    pub use crate::zmtp::error::{
        EVENT_HANDSHAKE_FAILED_AUTH as HANDSHAKE_FAILED_AUTH,
        EVENT_HANDSHAKE_FAILED_NO_DETAIL as HANDSHAKE_FAILED_NO_DETAIL,
        EVENT_HANDSHAKE_FAILED_PROTOCOL as HANDSHAKE_FAILED_PROTOCOL,
    };
    pub const HANDSHAKE_SUCCEEDED: u16 = 0x1000;
}

/// What the I/O layer (and inproc peers) tell a socket; the socket runs
/// them under its state lock (`Socket::process_commands`).
pub enum Up {
    /// A pipe to a new peer.
    Attach(Box<PipeEnd>),
    /// The peer behind a pipe made at connect time has told its routing id
    /// (its handshake completed).
    Identify(u64, Bytes),
    /// A connecter gave up for good (ZMQ_RECONNECT_STOP): the endpoint is
    /// forgotten, so zmq_disconnect of it fails with ENOENT (libzmq).
    EndpointGone(String),
    /// A SUB/XSUB connecter's pipe was reconnected (libzmq's hiccup): its
    /// engine reads nothing more until the socket has run
    /// `Pattern::hiccuped` on it.
    Hiccup(u64),
}

/// Keeps the owner's context from finishing `zmq_ctx_term` while a task
/// lives; dropping it (on every way out, a panic's unwind included) ends
/// the count.
pub type SessionGuard = Box<dyn Send>;

/// The owner of a connection's pipe, seen from the I/O layer.
pub trait Owner: Send + Sync + 'static {
    /// Queues `up` for the socket and wakes it.
    fn post(&self, up: Up);
    /// Reports a monitor event (`event::*`), if a monitor wants it.
    fn event(&self, event: u16, value: u32, endpoint: &str);
    /// `event` for one connection: version 1 shows `endpoint`, version 2
    /// the connection's two addresses.
    fn event_ends(&self, event: u16, value: u32, endpoint: &str, ends: &ConnEnds);
    /// Raised when the socket closes.
    fn closing(&self) -> &Stop;
    /// The socket is closed (`zmq_close` ran).
    fn is_closed(&self) -> bool;
    /// `zmq_disconnect` was called with `ZMQ_RECONNECT_STOP_AFTER_DISCONNECT`.
    fn is_disconnected(&self) -> bool;
    /// Wakes threads waiting on the socket (`ZMQ_FD`).
    fn wake(&self);
    /// The I/O threads of the owner's context, started on first use.
    fn io(&self) -> Result<Arc<IoPool>>;
    /// Counts a session for `zmq_ctx_term` until the guard is dropped.
    fn session_guard(&self) -> SessionGuard;
    /// A pipe to the context's ZAP handler (RFC 27, bound at
    /// `inproc://zeromq.zap.01`), or `None` when none is bound.
    fn zap_pipe(&self) -> Option<PipeEnd>;
}

/// The owner as one connection's session sees it: its monitor events
/// carry the connection's addresses, and so does the pipe it attaches
/// (libzmq's engine hands its `endpoint_uri_pair_t` to both).
pub struct ConnOwner {
    inner: Arc<dyn Owner>,
    ends: Arc<ConnEnds>,
    /// An accepted connection: libzmq names it in events by its own local
    /// address (`tcp://127.0.0.1:5555` under a `tcp://*:5555` listener),
    /// a connected one by the endpoint as connected to.
    accepted: bool,
}

impl ConnOwner {
    pub fn wrap(inner: Arc<dyn Owner>, ends: ConnEnds) -> Arc<dyn Owner> {
        Arc::new(ConnOwner {
            inner,
            ends: Arc::new(ends),
            accepted: false,
        })
    }

    pub fn wrap_accepted(inner: Arc<dyn Owner>, ends: ConnEnds) -> Arc<dyn Owner> {
        Arc::new(ConnOwner {
            inner,
            ends: Arc::new(ends),
            accepted: true,
        })
    }
}

impl Owner for ConnOwner {
    fn post(&self, up: Up) {
        let up = match up {
            Up::Attach(mut p) => {
                p.ends = Some(self.ends.clone());
                Up::Attach(p)
            }
            other => other,
        };
        self.inner.post(up)
    }
    fn event(&self, event: u16, value: u32, endpoint: &str) {
        let endpoint = if self.accepted && !self.ends.local.is_empty() {
            &self.ends.local
        } else {
            endpoint
        };
        self.inner.event_ends(event, value, endpoint, &self.ends)
    }
    fn event_ends(&self, event: u16, value: u32, endpoint: &str, ends: &ConnEnds) {
        self.inner.event_ends(event, value, endpoint, ends)
    }
    fn closing(&self) -> &Stop {
        self.inner.closing()
    }
    fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }
    fn is_disconnected(&self) -> bool {
        self.inner.is_disconnected()
    }
    fn wake(&self) {
        self.inner.wake()
    }
    fn io(&self) -> Result<Arc<IoPool>> {
        self.inner.io()
    }
    fn session_guard(&self) -> SessionGuard {
        self.inner.session_guard()
    }
    fn zap_pipe(&self) -> Option<PipeEnd> {
        self.inner.zap_pipe()
    }
}

/// What the I/O layer must know of its owner's socket type: read as data
/// from `Options::socket_type`, never by asking the socket.
pub mod kind {
    use crate::zmtp::socket_type::{
        ZMQ_DISH, ZMQ_RADIO, ZMQ_ROUTER, ZMQ_STREAM, ZMQ_SUB, ZMQ_XSUB,
    };

    /// STREAM speaks raw TCP: no ZMTP greeting, no framing.
    pub fn is_raw(socket_type: i32) -> bool {
        socket_type == ZMQ_STREAM
    }

    /// SUB/XSUB: a one-frame command message is a subscription, encoded for
    /// the peer's ZMTP revision (RFC 37), and a reconnected pipe hiccups.
    pub fn is_subscriber(socket_type: i32) -> bool {
        matches!(socket_type, ZMQ_SUB | ZMQ_XSUB)
    }

    /// A reconnected pipe hiccups: SUB/XSUB send their subscriptions
    /// again, DISH its groups (libzmq `xhiccuped`).
    pub fn hiccups(socket_type: i32) -> bool {
        is_subscriber(socket_type) || socket_type == ZMQ_DISH
    }

    /// RADIO (draft): JOIN/LEAVE commands from the peer go to the socket.
    pub fn takes_groups(socket_type: i32) -> bool {
        socket_type == ZMQ_RADIO
    }

    /// ROUTER learns a connecter's peer routing id from its handshake.
    pub fn is_router(socket_type: i32) -> bool {
        socket_type == ZMQ_ROUTER
    }
}
