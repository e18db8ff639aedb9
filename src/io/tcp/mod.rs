//! The tcp and ipc transports: listeners and connecters on an I/O thread.
//!
//! Binding happens on the caller's thread, so `zmq_bind` reports
//! `EADDRINUSE` and friends at once; the listening socket then moves to an
//! I/O thread that accepts. A connecter tries, serves the connection, and
//! tries again after `ZMQ_RECONNECT_IVL` (doubling up to
//! `ZMQ_RECONNECT_IVL_MAX`) until its endpoint is stopped.

use crate::error::{Error, Result};
use crate::io::addr::{self, IpcPath, TcpConnect};
use crate::io::capped::Capped;
use crate::io::owner::{event, ConnOwner, Owner, Up};
use crate::io::runtime::catch_panic;
use crate::io::session::{serve, End, SessionCtx};
use crate::io::stop::{select, Either, Stop};
use crate::options::{reconnect_stop, Options};
use crate::pipe::{ConnEnds, PipeEnd};
use compio::io::{AsyncRead, AsyncWrite};
use socket2::{Domain, SockRef, Socket as RawSocket, TcpKeepalive, Type};
use std::cell::RefCell;
use std::net::SocketAddr;
use std::os::fd::AsRawFd;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

mod connect;
mod ipc;
mod listen;
mod socks;

pub use connect::*;
pub use ipc::*;
pub use listen::*;
use socks::*;

/// `ZMQ_SNDBUF`/`ZMQ_RCVBUF`, applied as libzmq does: to a connecting
/// socket before it connects and to a listening socket before it listens
/// (accepted sockets inherit them), so the handshake already advertises
/// the window the buffers allow. Set only after the handshake, on both
/// ends, a small buffer (4 KiB) left a sender with more than a window to
/// send probing every 200 ms (about 1 message of 8 KiB per 40-100 ms
/// between two of our sockets, against ~30 000/s for libzmq).
pub(crate) fn tune_buffers(s: SockRef<'_>, o: &Options) {
    if o.sndbuf >= 0 {
        let _ = s.set_send_buffer_size(o.sndbuf as usize);
    }
    if o.rcvbuf >= 0 {
        let _ = s.set_recv_buffer_size(o.rcvbuf as usize);
    }
}

/// Applies the per-connection tcp options libzmq applies (the buffer
/// sizes are the listener's or were set before connecting:
/// `tune_buffers`).
fn tune_tcp(s: SockRef<'_>, o: &Options) {
    let _ = s.set_tcp_nodelay(true);
    if o.tos > 0 {
        let _ = s.set_tos_v4(o.tos as u32);
    }
    if o.tcp_keepalive == 1 {
        let _ = s.set_keepalive(true);
        let mut ka = TcpKeepalive::new();
        if o.tcp_keepalive_idle > 0 {
            ka = ka.with_time(Duration::from_secs(o.tcp_keepalive_idle as u64));
        }
        if o.tcp_keepalive_intvl > 0 {
            ka = ka.with_interval(Duration::from_secs(o.tcp_keepalive_intvl as u64));
        }
        if o.tcp_keepalive_cnt > 0 {
            ka = ka.with_retries(o.tcp_keepalive_cnt as u32);
        }
        let _ = s.set_tcp_keepalive(&ka);
    } else if o.tcp_keepalive == 0 {
        let _ = s.set_keepalive(false);
    }
    if o.tcp_maxrt > 0 {
        let _ = s.set_tcp_user_timeout(Some(Duration::from_millis(o.tcp_maxrt as u64)));
    }
    // Draft ZMQ_PRIORITY and ZMQ_BUSY_POLL (libzmq `tcp_open_socket`). A
    // priority above 6 or a busy-poll time above net.core.busy_poll needs
    // CAP_NET_ADMIN: without it the option stays unapplied rather than
    // failing the connection.
    if o.priority != 0 {
        let _ = s.set_priority(o.priority as u32);
    }
    if o.busy_poll > 0 {
        let _ = s.set_busy_poll(o.busy_poll as u32);
    }
}

/// Runs an endpoint's task (a listener or a connecter) on an I/O thread.
/// Its session guard is taken now, so term waits for it however it ends
/// (SAFETY.md, "Panics": a panic ends the task, logged, and nothing else).
fn spawn_task<F>(owner: &Arc<dyn Owner>, make: F) -> Result<()>
where
    F: FnOnce() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> + Send + 'static,
{
    let io = owner.io()?;
    let session = owner.session_guard();
    io.spawn(move || {
        let fut = make();
        compio::runtime::spawn(async move {
            let _session = session;
            if let Err(p) = catch_panic(fut).await {
                tracing::error!("an endpoint task panicked and ended: {p}");
            }
        })
        .detach();
    });
    Ok(())
}

/// Runs an accepted connection's task on this I/O thread (see `spawn_task`).
/// A panic ends that connection only: its stream and pipe are gone with the
/// unwind (the socket sees the peer leave), and the monitor hears
/// DISCONNECTED as for any connection that breaks.
pub(crate) fn spawn_connection<F>(sc: SessionCtx, fd: i32, serve: F)
where
    F: for<'a> FnOnce(
            &'a SessionCtx,
        ) -> std::pin::Pin<Box<dyn std::future::Future<Output = End> + 'a>>
        + 'static,
{
    let session = sc.owner.session_guard();
    compio::runtime::spawn(async move {
        let _session = session;
        if let Err(p) = catch_panic(serve(&sc)).await {
            connection_panicked(&sc, fd, &p);
        }
    })
    .detach();
}

/// What follows a connection task's panic, once the unwind is over.
fn connection_panicked(sc: &SessionCtx, fd: i32, message: &str) {
    tracing::error!(
        endpoint = %sc.endpoint,
        "a connection task panicked; the connection is closed: {message}"
    );
    sc.owner.event(event::DISCONNECTED, fd as u32, &sc.endpoint);
}

/// A process-wide accept counter (see `SessionCtx::order`).
pub(crate) fn next_accept_order() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

pub(crate) type Dialed = std::io::Result<(Box<dyn Served>, String)>;
pub(crate) type DialFut = std::pin::Pin<Box<dyn std::future::Future<Output = Dialed>>>;

/// A connected stream, ready to be served.
pub trait Served {
    fn serve<'a>(
        self: Box<Self>,
        sc: &'a SessionCtx,
        pipe: Option<Rc<RefCell<PipeEnd>>>,
        peer: String,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = End> + 'a>>;

    /// The connection's descriptor (what monitor events report).
    fn raw_fd(&self) -> i32;

    /// The tcp stream inside, for protocols spoken before ZMTP (SOCKS).
    fn into_tcp(self: Box<Self>) -> Option<Box<compio::net::TcpStream>> {
        None
    }
}

/// A connected stream of either transport.
pub trait Conn: AsRawFd + Sized + 'static {
    type Half: AsyncRead + AsyncWrite + 'static;
    fn halves(self) -> (Self::Half, Self::Half);
    /// (local, remote) addresses as libzmq prints them; "" when unknown.
    fn names(&self) -> (String, String);
}

/// How libzmq prints a unix socket's address: `ipc://path`, `ipc://@name`
/// (abstract), or `ipc://` for an unnamed one.
fn ipc_name(a: std::io::Result<socket2::SockAddr>) -> String {
    let Ok(a) = a else {
        return String::new();
    };
    if let Some(p) = a.as_pathname() {
        format!("ipc://{}", p.display())
    } else if let Some(n) = a.as_abstract_namespace() {
        format!("ipc://@{}", String::from_utf8_lossy(n))
    } else {
        "ipc://".to_string()
    }
}

impl Conn for compio::net::TcpStream {
    type Half = Capped<Self>;
    fn halves(self) -> (Capped<Self>, Capped<Self>) {
        let (r, w) = self.into_split();
        (Capped(r), Capped(w))
    }
    fn names(&self) -> (String, String) {
        let name =
            |a: std::io::Result<SocketAddr>| a.map(|a| addr::tcp_uri(&a)).unwrap_or_default();
        (name(self.local_addr()), name(self.peer_addr()))
    }
}

impl Conn for compio::net::UnixStream {
    type Half = Capped<Self>;
    fn halves(self) -> (Capped<Self>, Capped<Self>) {
        let (r, w) = self.into_split();
        (Capped(r), Capped(w))
    }
    fn names(&self) -> (String, String) {
        (ipc_name(self.local_addr()), ipc_name(self.peer_addr()))
    }
}

/// Serves a stream a connecter opened.
fn serve_connected<'a, S: Conn>(
    s: S,
    sc: &'a SessionCtx,
    pipe: Option<Rc<RefCell<PipeEnd>>>,
    peer: String,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = End> + 'a>> {
    let fd = s.as_raw_fd();
    tracing::info!(target: "monocoque::connect", endpoint = %sc.endpoint, %peer, fd, "connected");
    // libzmq's connecter: our address, and the endpoint as connected to.
    let ends = ConnEnds {
        local: s.names().0,
        remote: sc.endpoint.clone(),
    };
    let mut sc = sc.clone();
    sc.owner = ConnOwner::wrap(sc.owner.clone(), ends);
    sc.owner.event(event::CONNECTED, fd as u32, &sc.endpoint);
    let (r, w) = s.halves();
    Box::pin(async move { serve(r, w, &sc, pipe, peer, fd).await })
}

/// Serves an accepted stream in a task of its own.
fn spawn_accepted<S: Conn>(sc: &SessionCtx, s: S, peer: String) {
    let fd = s.as_raw_fd();
    tracing::info!(target: "monocoque::accept", endpoint = %sc.endpoint, %peer, fd, "accepted");
    let (local, remote) = s.names();
    let mut sc2 = sc.clone();
    sc2.owner = ConnOwner::wrap_accepted(sc.owner.clone(), ConnEnds { local, remote });
    sc2.owner.event(event::ACCEPTED, fd as u32, &sc2.endpoint);
    sc2.order = next_accept_order();
    spawn_connection(sc2, fd, move |sc| {
        let (r, w) = s.halves();
        Box::pin(serve(r, w, sc, None, peer, fd))
    });
}

impl Served for compio::net::TcpStream {
    fn raw_fd(&self) -> i32 {
        self.as_raw_fd()
    }

    fn into_tcp(self: Box<Self>) -> Option<Box<compio::net::TcpStream>> {
        Some(self)
    }

    fn serve<'a>(
        self: Box<Self>,
        sc: &'a SessionCtx,
        pipe: Option<Rc<RefCell<PipeEnd>>>,
        peer: String,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = End> + 'a>> {
        serve_connected(*self, sc, pipe, peer)
    }
}

impl Served for compio::net::UnixStream {
    fn raw_fd(&self) -> i32 {
        self.as_raw_fd()
    }

    fn serve<'a>(
        self: Box<Self>,
        sc: &'a SessionCtx,
        pipe: Option<Rc<RefCell<PipeEnd>>>,
        peer: String,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = End> + 'a>> {
        serve_connected(*self, sc, pipe, peer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use socket2::SockAddr;

    #[test]
    fn priority_reaches_the_tcp_socket() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let c = std::net::TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let mut o = Options::new(5, false, true);
        tune_tcp(SockRef::from(&c), &o);
        assert_eq!(SockRef::from(&c).priority().unwrap(), 0);
        o.priority = 3;
        tune_tcp(SockRef::from(&c), &o);
        assert_eq!(SockRef::from(&c).priority().unwrap(), 3);
    }

    #[test]
    fn ipc_names_print_as_libzmq_prints_them() {
        let file = SockAddr::unix("/tmp/x.sock").unwrap();
        assert_eq!(ipc_name(Ok(file)), "ipc:///tmp/x.sock");
        // An unnamed (connecting) unix socket.
        let (a, _b) =
            socket2::Socket::pair(socket2::Domain::UNIX, socket2::Type::STREAM, None).unwrap();
        assert_eq!(ipc_name(a.local_addr()), "ipc://");
        let abs = SockAddr::unix("\0name").unwrap();
        assert_eq!(ipc_name(Ok(abs)), "ipc://@name");
        assert_eq!(ipc_name(Err(std::io::Error::other("gone"))), "");
    }
}
