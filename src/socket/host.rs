//! The socket's view of its context: what a socket needs from the context
//! that made it, as a trait the context implements. The dependency goes one
//! way: `ctx` makes sockets and implements `Host`; `socket` never names
//! `Ctx`.

use super::inproc::Registry;
use super::Socket;
use crate::error::Result;
use crate::io::owner::SessionGuard;
use crate::io::runtime::IoPool;
use std::sync::Arc;

pub trait Host: Send + Sync + 'static {
    /// `zmq_ctx_shutdown` or `zmq_ctx_term` ran: blocking calls give `ETERM`.
    fn is_terminating(&self) -> bool;
    /// The context's I/O threads, started on first use.
    fn io(&self) -> Result<Arc<IoPool>>;
    /// Counts a session for `zmq_ctx_term` until the guard is dropped.
    fn session_guard(&self) -> SessionGuard;
    /// The context's inproc names.
    fn inproc(&self) -> &Registry;
    /// A new socket in the same context (a monitor's PAIR).
    fn socket(&self, socket_type: i32) -> Result<Arc<Socket>>;
    /// `zmq_close` of a socket of this context.
    fn close_socket(&self, s: &Arc<Socket>);
}
