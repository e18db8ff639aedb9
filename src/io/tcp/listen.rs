//! tcp listeners: bound on the caller's thread (so `zmq_bind` reports
//! `EADDRINUSE` at once), then accepting on an I/O thread.

use super::*;

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
        tune_buffers(SockRef::from(&s), o);
        s.bind(&sa.into())?;
        s.listen(o.backlog.max(1))?;
        s
    };
    if o.use_fd >= 0 {
        // As libzmq: an adopted listener gets the buffer sizes too.
        tune_buffers(SockRef::from(&s), o);
    }
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

pub(super) async fn accept_tcp(
    listener: std::net::TcpListener,
    sc: SessionCtx,
    on_accept: OnAccept,
) {
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
                report_listener_closed(&sc, listener.as_raw_fd());
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

/// `ZMQ_EVENT_CLOSED` for a listener stopped by `zmq_unbind`. When the
/// socket closes, `Socket::close` has reported it already (before the
/// monitor stops), so the listener says nothing more: one CLOSED per
/// listener, as libzmq.
pub(super) fn report_listener_closed(sc: &SessionCtx, fd: i32) {
    if !sc.owner.closing().is_stopped() {
        sc.owner.event(event::CLOSED, fd as u32, &sc.endpoint);
    }
}

/// How long a listener waits after a failed accept before the next one.
pub(super) const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// An accept failed (EMFILE, ENFILE, ENOBUFS, ENOMEM, a connection reset
/// before it was taken): as libzmq's listeners, report ACCEPT_FAILED with
/// the errno and go on accepting. The pause keeps a listener that is out of
/// descriptors from spinning; the pending connection waits in the backlog
/// and is taken once descriptors are free again.
pub(super) async fn accept_failed(sc: &SessionCtx, e: &std::io::Error) {
    let errno = e.raw_os_error().unwrap_or(libc::EIO);
    tracing::warn!(target: "monocoque::accept", endpoint = %sc.endpoint, "accept failed: {e}; accepting again in {} ms", ACCEPT_BACKOFF.as_millis());
    sc.owner
        .event(event::ACCEPT_FAILED, errno as u32, &sc.endpoint);
    let stopped = select(sc.stop.wait(), sc.owner.closing().wait());
    let _ = select(compio::time::sleep(ACCEPT_BACKOFF), stopped).await;
}

/// `ZMQ_TCP_ACCEPT_FILTER`: with filters set, only matching peers connect.
pub(super) fn accept_filter_allows(o: &Options, peer: &SocketAddr) -> bool {
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
