//! Connecters: dial, serve the connection, and dial again after
//! `ZMQ_RECONNECT_IVL` (doubling up to `ZMQ_RECONNECT_IVL_MAX`) until the
//! endpoint is stopped or `ZMQ_RECONNECT_STOP` says stop.

use super::*;

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
    let target = addr::tcp_connect_target(address, o.ipv6)?;
    start_connecter(owner, o, uri, pipe, move |o| {
        let (t, o) = (target.clone(), o.clone());
        Box::pin(async move { dial_tcp(&t, &o).await })
    })
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
    tune_buffers(SockRef::from(&raw), o);
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
pub(super) struct DialFailed {
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

pub(super) fn dial_failed(fd: i32, source: std::io::Error) -> std::io::Error {
    std::io::Error::new(source.kind(), DialFailed { fd, source })
}

/// The descriptor of a failed attempt's socket, and its errno.
pub(super) fn dial_failure(e: &std::io::Error) -> (Option<i32>, Option<i32>) {
    match e.get_ref().and_then(|x| x.downcast_ref::<DialFailed>()) {
        Some(d) => (Some(d.fd), d.source.raw_os_error()),
        None => (None, e.raw_os_error()),
    }
}

/// What ends a connecter's wait: a hard stop (disconnect), the socket
/// closing, or, once it has closed, the end of its linger period.
pub(super) async fn interrupted(sc: &SessionCtx, deadline: Option<std::time::Instant>) {
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
pub(super) fn refused_for_good(sc: &SessionCtx, o: &Options, e: &std::io::Error) -> bool {
    if dial_failure(e).1 != Some(libc::ECONNREFUSED) {
        return false;
    }
    if sc.endpoint.starts_with("tcp://") {
        o.reconnect_stop & reconnect_stop::CONN_REFUSED != 0
    } else {
        o.reconnect_stop & reconnect_stop::AFTER_DISCONNECT != 0 && sc.owner.is_disconnected()
    }
}

/// The wait before the next connection attempt, and the interval the one
/// after it starts from, as libzmq computes them: the current interval
/// plus a random part below `ZMQ_RECONNECT_IVL` (so peers cut off together
/// do not retry in lockstep); the interval doubles up to
/// `ZMQ_RECONNECT_IVL_MAX` only when that is set above `ZMQ_RECONNECT_IVL`.
/// The wait is what `ZMQ_EVENT_CONNECT_RETRIED` reports.
fn reconnect_wait(current: i32, base: i32, max: i32) -> (u32, i32) {
    let current = current.max(0);
    let jitter = if base > 0 {
        crate::util::random::below(base as u32)
    } else {
        0
    };
    let wait = (current as u32).saturating_add(jitter);
    let next = if max > 0 && max > base {
        current.saturating_mul(2).min(max)
    } else {
        current
    };
    (wait, next)
}

/// The reconnect loop shared by tcp and ipc. After the socket closes it
/// goes on trying only while its pipe holds messages and the linger lasts.
pub(super) async fn connecter(
    sc: SessionCtx,
    pipe: Option<PipeEnd>,
    dial: impl Fn(&Options) -> DialFut,
) {
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
                    // A connecter's own close: its endpoint as the remote end.
                    let ends = crate::pipe::ConnEnds {
                        local: String::new(),
                        remote: sc.endpoint.clone(),
                    };
                    sc.owner
                        .event_ends(event::CLOSED, fd as u32, &sc.endpoint, &ends);
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
        let (wait_ms, next) = reconnect_wait(ivl, base, o.reconnect_ivl_max);
        ivl = next;
        tracing::debug!(target: "monocoque::connect", endpoint = %sc.endpoint, "reconnecting in {wait_ms} ms (ZMQ_RECONNECT_IVL {base}, ZMQ_RECONNECT_IVL_MAX {})", o.reconnect_ivl_max);
        sc.owner
            .event(event::CONNECT_RETRIED, wait_ms, &sc.endpoint);
        let wait = compio::time::sleep(Duration::from_millis(u64::from(wait_ms)));
        let _ = select(wait, interrupted(&sc, deadline)).await;
    }
    if let Some(p) = pipe {
        p.borrow_mut().close();
    }
}

#[cfg(test)]
mod tests {
    use super::reconnect_wait;

    #[test]
    fn waits_carry_a_random_part_below_the_base_interval() {
        let waits: Vec<u32> = (0..200).map(|_| reconnect_wait(100, 100, 0).0).collect();
        assert!(waits.iter().all(|w| (100..200).contains(w)), "{waits:?}");
        assert!(waits.iter().any(|&w| w != waits[0]));
    }

    #[test]
    fn the_interval_doubles_up_to_the_maximum_only_when_it_is_above_the_base() {
        // IVL 100, MAX 1600: 100, 200, 400, 800, 1600, 1600.
        let mut ivl = 100;
        let mut seen = vec![];
        for _ in 0..6 {
            let (wait, next) = reconnect_wait(ivl, 100, 1600);
            assert!(wait >= ivl as u32 && wait < ivl as u32 + 100);
            seen.push(ivl);
            ivl = next;
        }
        assert_eq!(seen, [100, 200, 400, 800, 1600, 1600]);
        // No maximum, or one not above the base: the interval stays.
        assert_eq!(reconnect_wait(100, 100, 0).1, 100);
        assert_eq!(reconnect_wait(100, 100, 50).1, 100);
        assert_eq!(reconnect_wait(100, 100, 100).1, 100);
    }

    #[test]
    fn a_zero_interval_retries_at_once() {
        assert_eq!(reconnect_wait(0, 0, 0), (0, 0));
    }
}
