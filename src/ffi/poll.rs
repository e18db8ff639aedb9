//! `zmq_poll`: sockets (through their signal fds) and plain fds together.

use super::boundary::call;
use super::socket::socket_of;
use crate::error::{Error, Result};
use crate::socket::Socket;
use std::ffi::{c_int, c_long, c_short};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use super::consts::zmq_pollitem_t;

pub(super) const ZMQ_POLLIN: c_short = 1;
pub(super) const ZMQ_POLLOUT: c_short = 2;
pub(super) const ZMQ_POLLERR: c_short = 4;
pub(super) const ZMQ_POLLPRI: c_short = 8;

/// What `poll(2)` watches for one item of `zmq_poll` or a poller: a socket
/// through its signal fd (readable when its state may have changed), a
/// plain fd for the asked `events`.
pub(super) fn pollfd(socket: Option<&Socket>, fd: c_int, events: c_short) -> libc::pollfd {
    let (fd, events) = match socket {
        Some(s) => (s.signaler.fd(), libc::POLLIN),
        None => {
            let mut ev = 0;
            if events & ZMQ_POLLIN != 0 {
                ev |= libc::POLLIN;
            }
            if events & ZMQ_POLLOUT != 0 {
                ev |= libc::POLLOUT;
            }
            if events & ZMQ_POLLPRI != 0 {
                ev |= libc::POLLPRI;
            }
            (fd, ev)
        }
    };
    libc::pollfd {
        fd,
        events,
        revents: 0,
    }
}

/// The `poll(2)` timeout until `deadline`; -1 (forever) without one.
pub(super) fn wait_ms(deadline: Option<Instant>) -> i32 {
    match deadline {
        None => -1,
        Some(d) => d
            .saturating_duration_since(Instant::now())
            .as_millis()
            .min(i32::MAX as u128) as i32,
    }
}

/// `poll(2)`, or `ppoll(2)` with `sigmask` (the draft `zmq_ppoll`).
pub(super) fn sys_poll(
    fds: &mut [libc::pollfd],
    timeout_ms: i32,
    sigmask: Option<&libc::sigset_t>,
) -> Result<i32> {
    if timeout_ms != 0 {
        // Nothing this thread released stays pinned while it waits.
        crate::msg::flush_released();
        // Nothing was ready: what this thread sends next answers input.
        crate::io::direct::waited();
    }
    let rc = match sigmask {
        // SAFETY: `fds` is a valid, exclusively borrowed array of pollfd.
        None => unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout_ms) },
        Some(mask) => {
            let ts = (timeout_ms >= 0).then(|| libc::timespec {
                tv_sec: (timeout_ms / 1000) as libc::time_t,
                tv_nsec: (timeout_ms % 1000) as libc::c_long * 1_000_000,
            });
            let tsp = ts.as_ref().map_or(std::ptr::null(), |t| t as *const _);
            // SAFETY: `fds` as above; `tsp` is NULL or points to `ts`, and
            // `mask` is a borrowed sigset_t, both alive for the call.
            unsafe { libc::ppoll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, tsp, mask) }
        }
    };
    if rc < 0 {
        return Err(Error(super::boundary::errno()));
    }
    Ok(rc)
}

pub(super) fn poll_items(
    items: &mut [zmq_pollitem_t],
    timeout: c_long,
    sigmask: Option<&libc::sigset_t>,
) -> Result<c_int> {
    let sockets: Vec<Option<Arc<Socket>>> = items
        .iter()
        .map(|it| {
            if it.socket.is_null() {
                Ok(None)
            } else {
                socket_of(it.socket).map(Some)
            }
        })
        .collect::<Result<_>>()?;
    let mut fds: Vec<libc::pollfd> = items
        .iter()
        .zip(&sockets)
        .map(|(it, s)| pollfd(s.as_deref(), it.fd, it.events))
        .collect();
    let deadline = (timeout > 0).then(|| Instant::now() + Duration::from_millis(timeout as u64));
    // Announce the wait before the first look at the sockets' state.
    for s in sockets.iter().flatten() {
        s.signaler.arm_fd();
    }
    let r = poll_loop(items, &sockets, &mut fds, timeout, deadline, sigmask);
    for s in sockets.iter().flatten() {
        s.signaler.disarm();
    }
    r
}

fn poll_loop(
    items: &mut [zmq_pollitem_t],
    sockets: &[Option<Arc<Socket>>],
    fds: &mut [libc::pollfd],
    timeout: c_long,
    deadline: Option<Instant>,
    sigmask: Option<&libc::sigset_t>,
) -> Result<c_int> {
    loop {
        // Sockets first: checking clears their signal, so a change after
        // the check wakes the poll below.
        let mut ready = 0;
        for (it, s) in items.iter_mut().zip(sockets) {
            it.revents = 0;
            if let Some(s) = s {
                let ev = s.events()?;
                it.revents = ev & it.events & (ZMQ_POLLIN | ZMQ_POLLOUT);
                if it.revents != 0 {
                    ready += 1;
                }
            }
        }
        let wait = if ready > 0 || timeout == 0 {
            0
        } else {
            wait_ms(deadline)
        };
        sys_poll(fds, wait, sigmask)?;
        for ((it, s), pfd) in items.iter_mut().zip(sockets).zip(fds.iter()) {
            if s.is_none() {
                let mut rev = 0;
                if pfd.revents & libc::POLLIN != 0 {
                    rev |= ZMQ_POLLIN;
                }
                if pfd.revents & libc::POLLOUT != 0 {
                    rev |= ZMQ_POLLOUT;
                }
                if pfd.revents & libc::POLLPRI != 0 {
                    rev |= ZMQ_POLLPRI;
                }
                if pfd.revents & (libc::POLLERR | libc::POLLHUP | libc::POLLNVAL) != 0 {
                    rev |= ZMQ_POLLERR;
                }
                it.revents = rev & (it.events | ZMQ_POLLERR);
                if it.revents != 0 {
                    ready += 1;
                }
            }
        }
        if ready > 0 {
            // A socket whose fd fired: recount so the result is exact.
            let mut n = 0;
            for (it, s) in items.iter_mut().zip(sockets) {
                if let Some(s) = s {
                    let ev = s.events()?;
                    it.revents = ev & it.events & (ZMQ_POLLIN | ZMQ_POLLOUT);
                }
                if it.revents != 0 {
                    n += 1;
                }
            }
            if n > 0 {
                return Ok(n);
            }
        }
        if timeout == 0 {
            return Ok(0);
        }
        if let Some(d) = deadline {
            if Instant::now() >= d {
                // One last look: something may have arrived at the edge.
                let n = items
                    .iter_mut()
                    .zip(sockets)
                    .filter_map(|(it, s)| s.as_ref().map(|s| (it, s)))
                    .try_fold(0, |n, (it, s)| -> Result<c_int> {
                        it.revents = s.events()? & it.events & (ZMQ_POLLIN | ZMQ_POLLOUT);
                        Ok(n + (it.revents != 0) as c_int)
                    })?;
                return Ok(n);
            }
        }
        if sockets
            .iter()
            .any(|s| s.as_ref().is_some_and(|s| s.ctx.is_terminating()))
        {
            return Err(Error::TERM);
        }
    }
}

/// Waits for events on sockets and file descriptors.
///
/// # Safety
/// `items` must point to `nitems` valid `zmq_pollitem_t`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poll(
    items: *mut zmq_pollitem_t,
    nitems: c_int,
    timeout: c_long,
) -> c_int {
    call(|| {
        if nitems < 0 {
            return Err(Error::INVAL);
        }
        if nitems == 0 {
            if timeout > 0 {
                std::thread::sleep(Duration::from_millis(timeout as u64));
            }
            return Ok(0);
        }
        if items.is_null() {
            return Err(Error::FAULT);
        }
        // SAFETY: the caller gives nitems valid items at `items`.
        let items = unsafe { std::slice::from_raw_parts_mut(items, nitems as usize) };
        // A stable libzmq polls sockets through their ZMQ_FD, which a
        // thread-safe socket (SERVER, CLIENT, ...) does not have: EINVAL.
        // With the draft API it polls them with its poller, as we do.
        #[cfg(not(feature = "draft"))]
        for it in items.iter() {
            if !it.socket.is_null()
                && crate::socket::is_thread_safe(socket_of(it.socket)?.socket_type)
            {
                return Err(Error::INVAL);
            }
        }
        poll_items(items, timeout, None)
    })
}
