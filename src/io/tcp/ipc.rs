//! The ipc transport: Unix-domain listeners and connecters, peer filters.

use super::*;

/// `ZMQ_IPC_FILTER_PID/UID/GID`: with any set, a peer must match one.
pub(super) fn ipc_filter_allows(o: &Options, fd: i32) -> bool {
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

/// A fresh unique path for `ipc://*`.
pub(super) fn ipc_wildcard_path() -> String {
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

pub(super) fn unix_addr(p: &IpcPath) -> std::io::Result<std::os::unix::net::SocketAddr> {
    use std::os::linux::net::SocketAddrExt;
    match p {
        IpcPath::File(f) => std::os::unix::net::SocketAddr::from_pathname(f),
        IpcPath::Abstract(n) => std::os::unix::net::SocketAddr::from_abstract_name(n.as_bytes()),
    }
}

/// Removes a bound ipc file when its endpoint stops, unless another
/// socket has bound the same path since (the inode tells).
pub(super) struct IpcFile(Option<(String, u64)>);

pub(super) fn inode(path: &str) -> Option<u64> {
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

pub(super) async fn accept_ipc(
    listener: std::os::unix::net::UnixListener,
    sc: SessionCtx,
    file: IpcFile,
) {
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
                report_listener_closed(&sc, listener.as_raw_fd());
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
