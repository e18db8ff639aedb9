//! The draft `zmq_poller_*` API: a set of sockets and fds to wait on,
//! reported as `zmq_poller_event_t` entries.
//!
//! A poller is a handle like a socket (`HandleTable`, kind `Poller`): a
//! NULL, stale or forged poller fails with `EFAULT`, never reaches freed
//! memory. The set is behind a lock and `wait` works on a snapshot, so
//! calls from several threads are safe (libzmq's poller is not thread-safe;
//! we only guarantee no undefined behaviour, not libzmq's races).
//! Sockets are waited on through their signal fd, as `zmq_poll` does.

use super::boundary::{lookup, publish, take};
use super::consts::{zmq_fd_t, zmq_poller_event_t};
use super::poll::{pollfd, sys_poll, wait_ms, ZMQ_POLLERR, ZMQ_POLLIN, ZMQ_POLLOUT, ZMQ_POLLPRI};
use super::socket::socket_of;
use crate::error::{Error, Result};
use crate::handle::{HandleTable, Kind};
use crate::io::signaler::Signaler;
use crate::socket::Socket;
use parking_lot::Mutex;
use std::ffi::{c_int, c_long, c_short, c_void};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub static POLLERS: HandleTable<Poller> = HandleTable::new(Kind::Poller);

#[derive(Clone)]
struct Item {
    /// The socket's handle as C passed it, and the socket; `None` for an fd.
    socket: Option<(usize, Arc<Socket>)>,
    fd: zmq_fd_t,
    user_data: usize,
    events: c_short,
}

#[derive(Default)]
pub struct Poller {
    items: Mutex<Vec<Item>>,
    /// Made when the first thread-safe socket joins and kept until the
    /// poller goes (libzmq's poller signaler): every change of a
    /// thread-safe socket it holds makes this fd readable
    /// (`zmq_poller_fd`), and `wait` sleeps on it for those sockets.
    signal: Mutex<Option<Arc<Signaler>>>,
}

impl Drop for Poller {
    fn drop(&mut self) {
        if let Some(sig) = self.signal.get_mut().take() {
            for i in self.items.get_mut().iter() {
                if let Some((_, s)) = &i.socket {
                    s.signaler.remove_poller(&sig);
                }
            }
        }
    }
}

pub fn poller_of(p: *const c_void) -> Result<Arc<Poller>> {
    lookup(&POLLERS, p, Error::FAULT)
}

pub fn new_poller() -> Result<*mut c_void> {
    publish(&POLLERS, Arc::new(Poller::default()), Error(libc::ENOMEM))
}

pub fn destroy_poller(p: *const c_void) -> Result<()> {
    take(&POLLERS, p, Error::FAULT).map(drop)
}

/// libzmq's `check_events`: only the four poll bits are events.
pub fn check_events(events: c_short) -> Result<()> {
    if events & !(ZMQ_POLLIN | ZMQ_POLLOUT | ZMQ_POLLERR | ZMQ_POLLPRI) != 0 {
        return Err(Error::INVAL);
    }
    Ok(())
}

/// libzmq's registration checks: the poller (EFAULT), then the socket
/// (ENOTSOCK).
pub fn poller_and_socket(p: *const c_void, s: *const c_void) -> Result<(Arc<Poller>, Arc<Socket>)> {
    let poller = poller_of(p)?;
    let socket = socket_of(s)?;
    Ok((poller, socket))
}

/// The fd checks: the poller (EFAULT), then `retired_fd` (EBADF).
pub fn poller_and_fd(p: *const c_void, fd: zmq_fd_t) -> Result<Arc<Poller>> {
    let poller = poller_of(p)?;
    if fd == -1 {
        return Err(Error(libc::EBADF));
    }
    Ok(poller)
}

impl Poller {
    /// libzmq gives a poller a signal fd once it holds a thread-safe
    /// socket (and keeps it): before that, EINVAL.
    pub fn signaler_fd(&self) -> Result<zmq_fd_t> {
        match &*self.signal.lock() {
            Some(s) => Ok(s.fd()),
            None => Err(Error::INVAL),
        }
    }

    /// The poller's signal, made on first use (EMFILE without fds).
    fn signal(&self) -> Result<Arc<Signaler>> {
        let mut g = self.signal.lock();
        if let Some(s) = &*g {
            return Ok(s.clone());
        }
        let s = Signaler::new().map_err(|_| Error::MFILE)?;
        // Anyone may poll it (`zmq_poller_fd`): every signal writes.
        s.export();
        let s = Arc::new(s);
        *g = Some(s.clone());
        Ok(s)
    }

    pub fn size(&self) -> c_int {
        self.items.lock().len() as c_int
    }

    pub fn add(
        &self,
        handle: usize,
        s: Arc<Socket>,
        user_data: usize,
        events: c_short,
    ) -> Result<()> {
        let mut items = self.items.lock();
        if items
            .iter()
            .any(|i| i.socket.as_ref().is_some_and(|(h, _)| *h == handle))
        {
            return Err(Error::INVAL);
        }
        if s.signaler.is_shared() {
            s.signaler.add_poller(self.signal()?);
        }
        items.push(Item {
            socket: Some((handle, s)),
            fd: -1,
            user_data,
            events,
        });
        Ok(())
    }

    pub fn add_fd(&self, fd: zmq_fd_t, user_data: usize, events: c_short) -> Result<()> {
        let mut items = self.items.lock();
        if items.iter().any(|i| i.socket.is_none() && i.fd == fd) {
            return Err(Error::INVAL);
        }
        items.push(Item {
            socket: None,
            fd,
            user_data,
            events,
        });
        Ok(())
    }

    fn position(items: &[Item], target: Target) -> Result<usize> {
        items
            .iter()
            .position(|i| match (&i.socket, target) {
                (Some((h, _)), Target::Socket(t)) => *h == t,
                (None, Target::Fd(fd)) => i.fd == fd,
                _ => false,
            })
            .ok_or(Error::INVAL)
    }

    pub fn modify(&self, target: Target, events: c_short) -> Result<()> {
        let mut items = self.items.lock();
        let at = Self::position(&items, target)?;
        items[at].events = events;
        Ok(())
    }

    pub fn remove(&self, target: Target) -> Result<()> {
        let mut items = self.items.lock();
        let at = Self::position(&items, target)?;
        let item = items.remove(at);
        if let (Some((_, s)), Some(sig)) = (&item.socket, &*self.signal.lock()) {
            s.signaler.remove_poller(sig);
        }
        Ok(())
    }

    /// libzmq's `socket_poller_t::wait`: fills up to `out.len()` events,
    /// zeroes the rest, returns how many; `EAGAIN` when none in time.
    pub fn wait(&self, out: &mut [zmq_poller_event_t], timeout: c_long) -> Result<c_int> {
        let items = self.items.lock().clone();
        if items.is_empty() && timeout < 0 {
            return Err(Error::FAULT);
        }
        let active: Vec<&Item> = items.iter().filter(|i| i.events != 0).collect();
        if active.is_empty() {
            // Nothing can ever happen: fail rather than sleep forever.
            if timeout < 0 {
                return Err(Error::FAULT);
            }
            if timeout > 0 {
                std::thread::sleep(Duration::from_millis(timeout as u64));
            }
            return Err(Error::AGAIN);
        }
        // Thread-safe sockets are waited on through the poller's own fd
        // (several threads may wait on one socket); the others through
        // theirs, as `zmq_poll` does.
        let sig = self.signal.lock().clone();
        let mut fds: Vec<libc::pollfd> = active
            .iter()
            .map(|i| match (&i.socket, &sig) {
                (Some((_, s)), Some(sig)) if s.signaler.is_shared() => libc::pollfd {
                    fd: sig.fd(),
                    events: libc::POLLIN,
                    revents: 0,
                },
                (s, _) => pollfd(s.as_ref().map(|(_, s)| &**s), i.fd, i.events),
            })
            .collect();
        let sockets: Vec<&Arc<Socket>> = active
            .iter()
            .filter_map(|i| i.socket.as_ref().map(|(_, s)| s))
            .filter(|s| !s.signaler.is_shared())
            .collect();
        for s in &sockets {
            s.signaler.arm_fd();
        }
        let r = wait_loop(&active, &mut fds, out, timeout, sig.as_deref());
        for s in &sockets {
            s.signaler.disarm();
        }
        r
    }
}

#[derive(Clone, Copy)]
pub enum Target {
    Socket(usize),
    Fd(zmq_fd_t),
}

fn wait_loop(
    active: &[&Item],
    fds: &mut [libc::pollfd],
    out: &mut [zmq_poller_event_t],
    timeout: c_long,
    sig: Option<&Signaler>,
) -> Result<c_int> {
    let deadline = (timeout > 0).then(|| Instant::now() + Duration::from_millis(timeout as u64));
    let mut first = true;
    loop {
        let wait = if first { 0 } else { wait_ms(deadline) };
        sys_poll(fds, wait, None)?;
        // Consumed before the look: a change after it writes the fd again.
        if let Some(sig) = sig {
            sig.clear();
        }
        let found = check(active, fds, out)?;
        if found > 0 {
            for e in &mut out[found..] {
                *e = empty_event();
            }
            return Ok(found as c_int);
        }
        if timeout == 0 || deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(Error::AGAIN);
        }
        if !first
            && active.iter().any(|i| {
                i.socket
                    .as_ref()
                    .is_some_and(|(_, s)| s.ctx.is_terminating())
            })
        {
            return Err(Error::TERM);
        }
        first = false;
    }
}

/// libzmq's `check_events`, in registration order, at most `out.len()`.
fn check(active: &[&Item], fds: &[libc::pollfd], out: &mut [zmq_poller_event_t]) -> Result<usize> {
    let mut found = 0;
    for (i, pfd) in active.iter().zip(fds) {
        if found == out.len() {
            break;
        }
        let (socket, fd, events) = match &i.socket {
            Some((h, s)) => (*h, -1, s.events()? & i.events),
            None => {
                let r = pfd.revents;
                let mut ev = 0;
                if r & libc::POLLIN != 0 {
                    ev |= ZMQ_POLLIN;
                }
                if r & libc::POLLOUT != 0 {
                    ev |= ZMQ_POLLOUT;
                }
                if r & libc::POLLPRI != 0 {
                    ev |= ZMQ_POLLPRI;
                }
                if r & !(libc::POLLIN | libc::POLLOUT | libc::POLLPRI) != 0 {
                    ev |= ZMQ_POLLERR;
                }
                (0, i.fd, ev)
            }
        };
        if events != 0 {
            out[found] = zmq_poller_event_t {
                socket: socket as *mut c_void,
                fd,
                user_data: i.user_data as *mut c_void,
                events,
            };
            found += 1;
        }
    }
    Ok(found)
}

pub fn empty_event() -> zmq_poller_event_t {
    zmq_poller_event_t {
        socket: std::ptr::null_mut(),
        fd: -1,
        user_data: std::ptr::null_mut(),
        events: 0,
    }
}
