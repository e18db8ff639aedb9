//! The socket as the owner of its connections' pipes: the socket's side of
//! the seam `io::owner::Owner`, through which the I/O layer reaches it.

use super::inproc::PeerOptions;
use super::Socket;
use crate::error::Result;
use crate::io::owner::{Owner, SessionGuard, Up};
use crate::io::runtime::IoPool;
use crate::io::stop::Stop;
use crate::pipe::{ConnEnds, PipeEnd};
use bytes::Bytes;
use std::sync::Arc;

/// The ZAP endpoint (RFC 27), in the socket's own context.
const ZAP_ENDPOINT: &str = "zeromq.zap.01";

impl Owner for Socket {
    fn post(&self, up: Up) {
        Socket::post(self, up)
    }

    fn event(&self, event: u16, value: u32, endpoint: &str) {
        Socket::event(self, event, value, endpoint)
    }

    fn event_ends(&self, event: u16, value: u32, endpoint: &str, ends: &ConnEnds) {
        Socket::event_ends(self, event, value, endpoint, &ends.local, &ends.remote)
    }

    fn closing(&self) -> &Stop {
        &self.closing
    }

    fn is_closed(&self) -> bool {
        Socket::is_closed(self)
    }

    fn is_disconnected(&self) -> bool {
        Socket::is_disconnected(self)
    }

    fn wake(&self) {
        self.signaler.signal()
    }

    fn io(&self) -> Result<Arc<IoPool>> {
        self.ctx.io()
    }

    fn session_guard(&self) -> SessionGuard {
        self.ctx.session_guard()
    }

    fn zap_pipe(&self) -> Option<PipeEnd> {
        let inproc = self.ctx.inproc();
        if !inproc.is_bound(ZAP_ENDPOINT) {
            return None;
        }
        let opts = PeerOptions {
            routing_id: Bytes::new(),
            sndhwm: 0,
            rcvhwm: 0,
            conflate: false,
            hello: None,
            disconnect: None,
        };
        Some(inproc.connect(ZAP_ENDPOINT, "inproc://zeromq.zap.01", opts))
    }
}

impl Socket {
    /// This socket as the owner its listeners, connecters and connections
    /// talk to.
    pub(crate) fn owner(self: &Arc<Self>) -> Arc<dyn Owner> {
        self.clone()
    }
}
