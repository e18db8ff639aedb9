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
use crate::io::owner::{event, Owner, Up};
use crate::io::runtime::catch_panic;
use crate::io::session::{serve, End, SessionCtx};
use crate::io::stop::{select, Either, Stop};
use crate::options::{reconnect_stop, Options};
use crate::pipe::PipeEnd;
use compio::io::{AsyncRead, AsyncWrite};
use socket2::{Domain, SockRef, Socket as RawSocket, TcpKeepalive, Type};
use std::cell::RefCell;
use std::net::SocketAddr;
use std::os::fd::AsRawFd;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

/// Applies the per-connection tcp options libzmq applies.
fn tune_tcp(s: SockRef<'_>, o: &Options) {
    let _ = s.set_tcp_nodelay(true);
    if o.sndbuf >= 0 {
        let _ = s.set_send_buffer_size(o.sndbuf as usize);
    }
    if o.rcvbuf >= 0 {
        let _ = s.set_recv_buffer_size(o.rcvbuf as usize);
    }
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

/// Binds `tcp://addr`; returns the resolved endpoint and the stop handle.
pub fn bind_tcp(
    owner: &Arc<dyn Owner>,
    o: &Options,
    address: &str,
) -> Result<(String, Arc<Stop>, i32)> {
    bind_tcp_as(
        owner,
        o,
        address,
        &addr::tcp_uri,
        spawn_accepted::<compio::net::TcpStream>,
    )
}

/// What a tcp listener does with each accepted (and tuned) stream.
pub(crate) type OnAccept = fn(&SessionCtx, compio::net::TcpStream, String);

/// Binds a tcp listener on `address` for a transport carried over tcp:
/// `uri_of` names the bound endpoint, `on_accept` serves each connection.
pub(crate) fn bind_tcp_as(
    owner: &Arc<dyn Owner>,
    o: &Options,
    address: &str,
    uri_of: &dyn Fn(&SocketAddr) -> String,
    on_accept: OnAccept,
) -> Result<(String, Arc<Stop>, i32)> {
    let sa = addr::resolve_tcp_bind(address, o.ipv6)?;
    let s = if o.use_fd >= 0 {
        // ZMQ_USE_FD: the application made and bound the listening socket.
        crate::io::sys::adopt_socket(o.use_fd)
    } else {
        let domain = if sa.is_ipv6() {
            Domain::IPV6
        } else {
            Domain::IPV4
        };
        let s = RawSocket::new(domain, Type::STREAM.cloexec(), None)?;
        s.set_reuse_address(true)?;
        if sa.is_ipv6() {
            let _ = s.set_only_v6(false);
        }
        if !o.bindtodevice.is_empty() {
            s.bind_device(Some(o.bindtodevice.as_bytes()))?;
        }
        s.bind(&sa.into())?;
        s.listen(o.backlog.max(1))?;
        s
    };
    s.set_nonblocking(true)?;
    let local = s.local_addr()?.as_socket().ok_or(Error::INVAL)?;
    let uri = uri_of(&local);
    let fd = s.as_raw_fd();
    let listener: std::net::TcpListener = s.into();
    let stop = Arc::new(Stop::default());
    let sc = SessionCtx {
        owner: owner.clone(),
        options: o.clone(),
        endpoint: uri.clone(),
        stop: stop.clone(),
        order: 0,
    };
    spawn_task(owner, move || Box::pin(accept_tcp(listener, sc, on_accept)))?;
    owner.event(event::LISTENING, fd as u32, &uri);
    Ok((uri, stop, fd))
}

async fn accept_tcp(listener: std::net::TcpListener, sc: SessionCtx, on_accept: OnAccept) {
    let listener = match compio::net::TcpListener::from_std(listener) {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(target: "monocoque::io", endpoint = %sc.endpoint, "cannot register listener: {e}");
            return;
        }
    };
    loop {
        let stopped = select(sc.stop.wait(), sc.owner.closing().wait());
        let (stream, peer) = match select(listener.accept(), stopped).await {
            Either::Left(Ok(x)) => x,
            Either::Left(Err(e)) => {
                accept_failed(&sc, &e).await;
                continue;
            }
            Either::Right(_) => {
                sc.owner
                    .event(event::CLOSED, listener.as_raw_fd() as u32, &sc.endpoint);
                return;
            }
        };
        if !accept_filter_allows(&sc.options, &peer) {
            tracing::info!(target: "monocoque::accept", endpoint = %sc.endpoint, %peer, "connection refused by ZMQ_TCP_ACCEPT_FILTER");
            continue;
        }
        tune_tcp(SockRef::from(&stream), &sc.options);
        on_accept(&sc, stream, peer.ip().to_string());
    }
}

/// How long a listener waits after a failed accept before the next one.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// An accept failed (EMFILE, ENFILE, ENOBUFS, ENOMEM, a connection reset
/// before it was taken): as libzmq's listeners, report ACCEPT_FAILED with
/// the errno and go on accepting. The pause keeps a listener that is out of
/// descriptors from spinning; the pending connection waits in the backlog
/// and is taken once descriptors are free again.
async fn accept_failed(sc: &SessionCtx, e: &std::io::Error) {
    let errno = e.raw_os_error().unwrap_or(libc::EIO);
    tracing::warn!(target: "monocoque::accept", endpoint = %sc.endpoint, "accept failed: {e}; accepting again in {} ms", ACCEPT_BACKOFF.as_millis());
    sc.owner
        .event(event::ACCEPT_FAILED, errno as u32, &sc.endpoint);
    let stopped = select(sc.stop.wait(), sc.owner.closing().wait());
    let _ = select(compio::time::sleep(ACCEPT_BACKOFF), stopped).await;
}

/// `ZMQ_TCP_ACCEPT_FILTER`: with filters set, only matching peers connect.
fn accept_filter_allows(o: &Options, peer: &SocketAddr) -> bool {
    if o.tcp_accept_filters.is_empty() {
        return true;
    }
    o.tcp_accept_filters.iter().any(|f| {
        let (a, m) = match f.split_once('/') {
            Some((a, m)) => (a, m.parse::<u32>().ok()),
            None => (f.as_str(), None),
        };
        match (a.parse::<std::net::IpAddr>(), peer.ip()) {
            (Ok(std::net::IpAddr::V4(n)), std::net::IpAddr::V4(p)) => {
                let bits = m.unwrap_or(32).min(32);
                let mask = if bits == 0 {
                    0
                } else {
                    u32::MAX << (32 - bits)
                };
                u32::from(n) & mask == u32::from(p) & mask
            }
            (Ok(std::net::IpAddr::V6(n)), std::net::IpAddr::V6(p)) => {
                let bits = m.unwrap_or(128).min(128);
                let mask = if bits == 0 {
                    0
                } else {
                    u128::MAX << (128 - bits)
                };
                u128::from(n) & mask == u128::from(p) & mask
            }
            _ => false,
        }
    })
}

/// `ZMQ_IPC_FILTER_PID/UID/GID`: with any set, a peer must match one.
fn ipc_filter_allows(o: &Options, fd: i32) -> bool {
    if o.ipc_filter_pid.is_empty() && o.ipc_filter_uid.is_empty() && o.ipc_filter_gid.is_empty() {
        return true;
    }
    let Some((pid, uid, gid)) = crate::io::sys::peer_credentials(fd) else {
        return false;
    };
    o.ipc_filter_uid.contains(&uid)
        || o.ipc_filter_gid.contains(&gid)
        || o.ipc_filter_pid.contains(&pid)
}

/// Starts connecting to `tcp://address`; `pipe` is the connecter's pipe
/// when the socket made one at connect time.
pub fn connect_tcp(
    owner: &Arc<dyn Owner>,
    o: &Options,
    uri: &str,
    address: &str,
    pipe: Option<PipeEnd>,
) -> Result<Arc<Stop>> {
    if !o.socks_proxy.is_empty() {
        return connect_socks(owner, o, uri, address, pipe);
    }
    let target = addr::resolve_tcp_connect(address, o.ipv6)?;
    start_connecter(owner, o, uri, pipe, move |o| {
        let (t, o) = (target.clone(), o.clone());
        Box::pin(async move { dial_tcp(&t, &o).await })
    })
}

/// A process-wide accept counter (see `SessionCtx::order`).
pub(crate) fn next_accept_order() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Starts a connecter task for `uri` that dials with `dial` on each attempt.
pub(crate) fn start_connecter(
    owner: &Arc<dyn Owner>,
    o: &Options,
    uri: &str,
    pipe: Option<PipeEnd>,
    dial: impl Fn(&Options) -> DialFut + Send + 'static,
) -> Result<Arc<Stop>> {
    let stop = Arc::new(Stop::default());
    let sc = SessionCtx {
        owner: owner.clone(),
        options: o.clone(),
        endpoint: uri.to_string(),
        stop: stop.clone(),
        order: 0,
    };
    spawn_task(owner, move || Box::pin(connecter(sc, pipe, dial)))?;
    Ok(stop)
}

/// `ZMQ_SOCKS_PROXY`: the connection goes through a SOCKS5 proxy (RFC 1928,
/// with RFC 1929 username/password when set); the target's name is
/// resolved by the proxy, as libzmq lets it.
fn connect_socks(
    owner: &Arc<dyn Owner>,
    o: &Options,
    uri: &str,
    address: &str,
    pipe: Option<PipeEnd>,
) -> Result<Arc<Stop>> {
    let proxy = addr::resolve_tcp_connect(&o.socks_proxy, o.ipv6)?;
    let (host, port) = address.rsplit_once(':').ok_or(Error::INVAL)?;
    let port: u16 = port.parse().map_err(|_| Error::INVAL)?;
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    start_connecter(owner, o, uri, pipe, move |o| {
        let (p, h, o) = (proxy.clone(), host.clone(), o.clone());
        Box::pin(async move {
            let (stream, _) = dial_tcp(&p, &o).await?;
            let stream = socks5_connect(stream, &h, port, &o).await?;
            Ok((stream, h))
        })
    })
}

async fn socks5_connect(
    stream: Box<dyn Served>,
    host: &str,
    port: u16,
    o: &Options,
) -> std::io::Result<Box<dyn Served>> {
    use compio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s: Box<compio::net::TcpStream> = stream
        .into_tcp()
        .ok_or_else(|| std::io::Error::other("not tcp"))?;
    let fail =
        |what: &str| std::io::Error::new(std::io::ErrorKind::ConnectionRefused, what.to_string());
    let auth = !o.socks_username.is_empty();
    let hello: Vec<u8> = if auth {
        vec![5, 2, 0, 2]
    } else {
        vec![5, 1, 0]
    };
    s.write_all(hello).await.0?;
    let compio::buf::BufResult(r, choice) = s.read_exact(vec![0u8; 2]).await;
    r?;
    match (choice[0], choice[1]) {
        (5, 0) => {}
        (5, 2) if auth => {
            let (u, p) = (o.socks_username.as_bytes(), o.socks_password.as_bytes());
            let mut m = vec![1, u.len().min(255) as u8];
            m.extend_from_slice(&u[..u.len().min(255)]);
            m.push(p.len().min(255) as u8);
            m.extend_from_slice(&p[..p.len().min(255)]);
            s.write_all(m).await.0?;
            let compio::buf::BufResult(r, st) = s.read_exact(vec![0u8; 2]).await;
            r?;
            if st[1] != 0 {
                return Err(fail("socks authentication refused"));
            }
        }
        _ => return Err(fail("socks method refused")),
    }
    let mut req = vec![5, 1, 0];
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(a)) => {
            req.push(1);
            req.extend_from_slice(&a.octets());
        }
        Ok(std::net::IpAddr::V6(a)) => {
            req.push(4);
            req.extend_from_slice(&a.octets());
        }
        Err(_) => {
            req.push(3);
            req.push(host.len().min(255) as u8);
            req.extend_from_slice(&host.as_bytes()[..host.len().min(255)]);
        }
    }
    req.extend_from_slice(&port.to_be_bytes());
    s.write_all(req).await.0?;
    let compio::buf::BufResult(r, head) = s.read_exact(vec![0u8; 4]).await;
    r?;
    if head[0] != 5 || head[1] != 0 {
        return Err(fail("socks connect refused"));
    }
    let rest = match head[3] {
        1 => 4 + 2,
        4 => 16 + 2,
        3 => {
            let compio::buf::BufResult(r, l) = s.read_exact(vec![0u8; 1]).await;
            r?;
            l[0] as usize + 2
        }
        _ => return Err(fail("socks reply malformed")),
    };
    let compio::buf::BufResult(r, _) = s.read_exact(vec![0u8; rest]).await;
    r?;
    Ok(s)
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
}

impl Conn for compio::net::TcpStream {
    type Half = Capped<Self>;
    fn halves(self) -> (Capped<Self>, Capped<Self>) {
        let (r, w) = self.into_split();
        (Capped(r), Capped(w))
    }
}

impl Conn for compio::net::UnixStream {
    type Half = Capped<Self>;
    fn halves(self) -> (Capped<Self>, Capped<Self>) {
        let (r, w) = self.into_split();
        (Capped(r), Capped(w))
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
    sc.owner.event(event::CONNECTED, fd as u32, &sc.endpoint);
    let (r, w) = s.halves();
    Box::pin(serve(r, w, sc, pipe, peer, fd))
}

/// Serves an accepted stream in a task of its own.
fn spawn_accepted<S: Conn>(sc: &SessionCtx, s: S, peer: String) {
    let fd = s.as_raw_fd();
    tracing::info!(target: "monocoque::accept", endpoint = %sc.endpoint, %peer, fd, "accepted");
    sc.owner.event(event::ACCEPTED, fd as u32, &sc.endpoint);
    let mut sc2 = sc.clone();
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

pub(crate) async fn dial_tcp(t: &TcpConnect, o: &Options) -> Dialed {
    // Created synchronously (not as an io_uring op) so that connects leave
    // in the order the application asked for them.
    let dest = t.resolve().await?;
    let domain = if dest.is_ipv6() {
        Domain::IPV6
    } else {
        Domain::IPV4
    };
    let raw = RawSocket::new(domain, Type::STREAM.cloexec(), None)?;
    let fd = raw.as_raw_fd();
    let attempt = async {
        let sock = compio::net::TcpSocket::from_std_stream(std::net::TcpStream::from(raw))?;
        if let Some(src) = t.source {
            sock.set_reuseaddr(true)?;
            sock.bind(src).await?;
        }
        if !o.bindtodevice.is_empty() {
            sock.bind_device(Some(o.bindtodevice.as_bytes()))?;
        }
        let connect = sock.connect(dest);
        if o.connect_timeout > 0 {
            compio::time::timeout(Duration::from_millis(o.connect_timeout as u64), connect)
                .await
                .map_err(|_| std::io::Error::from_raw_os_error(libc::ETIMEDOUT))?
        } else {
            connect.await
        }
    };
    let stream = attempt.await.map_err(|e| dial_failed(fd, e))?;
    tune_tcp(SockRef::from(&stream), o);
    Ok((Box::new(stream), dest.ip().to_string()))
}

/// A connect attempt that failed after its socket was made: libzmq's
/// connecter then closes the socket and reports `ZMQ_EVENT_CLOSED` with its
/// descriptor, so the error carries the number along.
#[derive(Debug)]
struct DialFailed {
    fd: i32,
    source: std::io::Error,
}

impl std::fmt::Display for DialFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.source.fmt(f)
    }
}

impl std::error::Error for DialFailed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn dial_failed(fd: i32, source: std::io::Error) -> std::io::Error {
    std::io::Error::new(source.kind(), DialFailed { fd, source })
}

/// The descriptor of a failed attempt's socket, and its errno.
fn dial_failure(e: &std::io::Error) -> (Option<i32>, Option<i32>) {
    match e.get_ref().and_then(|x| x.downcast_ref::<DialFailed>()) {
        Some(d) => (Some(d.fd), d.source.raw_os_error()),
        None => (None, e.raw_os_error()),
    }
}

/// What ends a connecter's wait: a hard stop (disconnect), the socket
/// closing, or, once it has closed, the end of its linger period.
async fn interrupted(sc: &SessionCtx, deadline: Option<std::time::Instant>) {
    if sc.owner.is_closed() {
        match deadline {
            Some(d) => {
                let _ = select(compio::time::sleep_until(d), sc.stop.wait()).await;
            }
            None => sc.stop.wait().await,
        }
    } else {
        let _ = select(sc.stop.wait(), sc.owner.closing().wait()).await;
    }
}

/// `ZMQ_RECONNECT_STOP`, as libzmq 4.3.5 applies it to a refused connect:
/// CONN_REFUSED for tcp; AFTER_DISCONNECT for ipc once the socket saw a
/// `zmq_disconnect`.
fn refused_for_good(sc: &SessionCtx, o: &Options, e: &std::io::Error) -> bool {
    if dial_failure(e).1 != Some(libc::ECONNREFUSED) {
        return false;
    }
    if sc.endpoint.starts_with("tcp://") {
        o.reconnect_stop & reconnect_stop::CONN_REFUSED != 0
    } else {
        o.reconnect_stop & reconnect_stop::AFTER_DISCONNECT != 0 && sc.owner.is_disconnected()
    }
}

/// The reconnect loop shared by tcp and ipc. After the socket closes it
/// goes on trying only while its pipe holds messages and the linger lasts.
async fn connecter(sc: SessionCtx, pipe: Option<PipeEnd>, dial: impl Fn(&Options) -> DialFut) {
    let pipe = pipe.map(|p| Rc::new(RefCell::new(p)));
    let o = sc.options.clone();
    let base = o.reconnect_ivl;
    let mut ivl = base;
    let mut linger_deadline: Option<Option<std::time::Instant>> = None;
    loop {
        if sc.stop.is_stopped() {
            break;
        }
        if sc.owner.is_closed() {
            let Some(p) = &pipe else { break };
            let linger = p.borrow().peer_linger();
            let deadline = *linger_deadline.get_or_insert_with(|| {
                (linger >= 0)
                    .then(|| std::time::Instant::now() + Duration::from_millis(linger as u64))
            });
            let expired = deadline.is_some_and(|d| std::time::Instant::now() >= d);
            crate::log::linger_unconnected(&sc.endpoint, p.borrow().in_queued(), linger, expired);
            if p.borrow().in_queued() == 0 || expired {
                break;
            }
        }
        let deadline = linger_deadline.flatten();
        if sc.endpoint.starts_with("tcp://") || sc.endpoint.starts_with("ws://") {
            // libzmq's non-blocking connect reports "in progress" first.
            sc.owner.event(
                event::CONNECT_DELAYED,
                libc::EINPROGRESS as u32,
                &sc.endpoint,
            );
        }
        tracing::debug!(target: "monocoque::connect", endpoint = %sc.endpoint, "connecting");
        let attempt = dial(&o);
        match select(attempt, interrupted(&sc, deadline)).await {
            Either::Right(()) => continue,
            Either::Left(Ok((stream, peer))) => {
                ivl = base;
                let fd = stream.raw_fd();
                let end = match catch_panic(stream.serve(&sc, pipe.clone(), peer)).await {
                    Ok(end) => end,
                    Err(p) => {
                        // The connection is gone with the unwind; the
                        // connecter goes on as after any disconnection.
                        connection_panicked(&sc, fd, &p);
                        End::Disconnected
                    }
                };
                if matches!(end, End::SocketClosed | End::Stopped | End::ProtocolError) {
                    tracing::debug!(target: "monocoque::connect", endpoint = %sc.endpoint, "not reconnecting: {}", crate::log::end_text(end));
                    break;
                }
                if end == End::HandshakeFailed
                    && o.reconnect_stop & reconnect_stop::HANDSHAKE_FAILED != 0
                {
                    tracing::info!(target: "monocoque::connect", endpoint = %sc.endpoint, "not reconnecting: the handshake failed and ZMQ_RECONNECT_STOP has HANDSHAKE_FAILED");
                    break;
                }
            }
            Either::Left(Err(e)) => {
                tracing::info!(target: "monocoque::connect", endpoint = %sc.endpoint, "connect failed: {e}");
                if let (Some(fd), _) = dial_failure(&e) {
                    sc.owner.event(event::CLOSED, fd as u32, &sc.endpoint);
                }
                if refused_for_good(&sc, &o, &e) {
                    tracing::info!(target: "monocoque::connect", endpoint = %sc.endpoint, "not reconnecting: refused, and ZMQ_RECONNECT_STOP says stop");
                    sc.owner.post(Up::EndpointGone(sc.endpoint.clone()));
                    break;
                }
            }
        }
        if base < 0 {
            tracing::debug!(target: "monocoque::connect", endpoint = %sc.endpoint, "not reconnecting: ZMQ_RECONNECT_IVL is -1");
            break;
        }
        tracing::debug!(target: "monocoque::connect", endpoint = %sc.endpoint, "reconnecting in {ivl} ms (ZMQ_RECONNECT_IVL {base}, ZMQ_RECONNECT_IVL_MAX {})", o.reconnect_ivl_max);
        sc.owner
            .event(event::CONNECT_RETRIED, ivl.max(0) as u32, &sc.endpoint);
        let wait = compio::time::sleep(Duration::from_millis(ivl.max(0) as u64));
        let _ = select(wait, interrupted(&sc, deadline)).await;
        if o.reconnect_ivl_max > 0 {
            ivl = (ivl.saturating_mul(2)).min(o.reconnect_ivl_max);
        }
    }
    if let Some(p) = pipe {
        p.borrow_mut().close();
    }
}

/// A fresh unique path for `ipc://*`.
fn ipc_wildcard_path() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::var("TMPDIR").unwrap_or_else(|_| "/tmp".into());
    format!(
        "{}/monocoque-{}-{}.ipc",
        dir.trim_end_matches('/'),
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

fn unix_addr(p: &IpcPath) -> std::io::Result<std::os::unix::net::SocketAddr> {
    use std::os::linux::net::SocketAddrExt;
    match p {
        IpcPath::File(f) => std::os::unix::net::SocketAddr::from_pathname(f),
        IpcPath::Abstract(n) => std::os::unix::net::SocketAddr::from_abstract_name(n.as_bytes()),
    }
}

/// Removes a bound ipc file when its endpoint stops, unless another
/// socket has bound the same path since (the inode tells).
struct IpcFile(Option<(String, u64)>);

fn inode(path: &str) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path).ok().map(|m| m.ino())
}

impl Drop for IpcFile {
    fn drop(&mut self) {
        if let Some((f, ino)) = &self.0 {
            if inode(f) == Some(*ino) {
                let _ = std::fs::remove_file(f);
            }
        }
    }
}

pub fn bind_ipc(
    owner: &Arc<dyn Owner>,
    o: &Options,
    address: &str,
) -> Result<(String, Arc<Stop>, i32)> {
    let path = if address == "*" {
        IpcPath::File(ipc_wildcard_path())
    } else {
        addr::parse_ipc(address)?
    };
    let sa = unix_addr(&path).map_err(|_| Error::INVAL)?;
    let listener = if o.use_fd >= 0 {
        // ZMQ_USE_FD: the application made and bound the listening socket.
        std::os::unix::net::UnixListener::from(std::os::fd::OwnedFd::from(
            crate::io::sys::adopt_socket(o.use_fd),
        ))
    } else {
        if let IpcPath::File(f) = &path {
            // libzmq removes whatever is at the path before binding.
            let _ = std::fs::remove_file(f);
        }
        std::os::unix::net::UnixListener::bind_addr(&sa)?
    };
    let _ = SockRef::from(&listener).listen(o.backlog.max(1));
    listener.set_nonblocking(true)?;
    let uri = addr::ipc_uri(&path);
    let file = IpcFile(match &path {
        IpcPath::File(f) => inode(f).map(|ino| (f.clone(), ino)),
        IpcPath::Abstract(_) => None,
    });
    let stop = Arc::new(Stop::default());
    let sc = SessionCtx {
        owner: owner.clone(),
        options: o.clone(),
        endpoint: uri.clone(),
        stop: stop.clone(),
        order: 0,
    };
    let fd = listener.as_raw_fd();
    spawn_task(owner, move || Box::pin(accept_ipc(listener, sc, file)))?;
    owner.event(event::LISTENING, fd as u32, &uri);
    Ok((uri, stop, fd))
}

async fn accept_ipc(listener: std::os::unix::net::UnixListener, sc: SessionCtx, file: IpcFile) {
    let _file = file;
    let listener = match compio::net::UnixListener::from_std(listener) {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(target: "monocoque::io", endpoint = %sc.endpoint, "cannot register listener: {e}");
            return;
        }
    };
    loop {
        let stopped = select(sc.stop.wait(), sc.owner.closing().wait());
        let stream = match select(listener.accept(), stopped).await {
            Either::Left(Ok((s, _))) => s,
            Either::Left(Err(e)) => {
                accept_failed(&sc, &e).await;
                continue;
            }
            Either::Right(_) => {
                sc.owner
                    .event(event::CLOSED, listener.as_raw_fd() as u32, &sc.endpoint);
                return;
            }
        };
        if !ipc_filter_allows(&sc.options, stream.as_raw_fd()) {
            tracing::info!(target: "monocoque::accept", endpoint = %sc.endpoint, "connection refused by ZMQ_IPC_FILTER_PID/UID/GID");
            // ZMQ_IPC_FILTER_*: the peer's credentials are not listed.
            continue;
        }
        spawn_accepted(&sc, stream, String::new());
    }
}

pub fn connect_ipc(
    owner: &Arc<dyn Owner>,
    o: &Options,
    uri: &str,
    address: &str,
    pipe: Option<PipeEnd>,
) -> Result<Arc<Stop>> {
    let path = addr::parse_ipc(address)?;
    if address == "*" {
        return Err(Error::INVAL);
    }
    start_connecter(owner, o, uri, pipe, move |_| {
        let p = path.clone();
        Box::pin(async move {
            let sa = match &p {
                IpcPath::File(f) => socket2::SockAddr::unix(f)?,
                IpcPath::Abstract(n) => socket2::SockAddr::unix(format!("\0{n}"))?,
            };
            let raw = RawSocket::new(Domain::UNIX, Type::STREAM.cloexec(), None)?;
            let fd = raw.as_raw_fd();
            raw.connect(&sa).map_err(|e| dial_failed(fd, e))?;
            let std_stream = std::os::unix::net::UnixStream::from(std::os::fd::OwnedFd::from(raw));
            std_stream.set_nonblocking(true)?;
            let s = compio::net::UnixStream::from_std(std_stream)?;
            Ok((Box::new(s) as Box<dyn Served>, String::new()))
        })
    })
}
