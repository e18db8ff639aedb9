//! The context: options, the sockets it made, the inproc registry, the I/O
//! threads (started lazily) and termination.
//!
//! Termination follows libzmq: `shutdown` makes every blocking call return
//! `ETERM` and refuses new sockets; `term` also waits until every socket is
//! closed and every session has finished lingering.

#![forbid(unsafe_code)]

use crate::error::{Error, Result};
use crate::io::owner::SessionGuard as AnyGuard;
use crate::io::runtime::{IoPool, ThreadOptions};
use crate::socket::inproc;
use crate::socket::{Host, Socket};
use parking_lot::{Condvar, Mutex};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};

/// Context option numbers (zmq.h).
pub mod opt {
    pub const IO_THREADS: i32 = 1;
    pub const MAX_SOCKETS: i32 = 2;
    pub const SOCKET_LIMIT: i32 = 3;
    pub const THREAD_PRIORITY: i32 = 3;
    pub const THREAD_SCHED_POLICY: i32 = 4;
    pub const MAX_MSGSZ: i32 = 5;
    pub const MSG_T_SIZE: i32 = 6;
    pub const THREAD_AFFINITY_CPU_ADD: i32 = 7;
    pub const THREAD_AFFINITY_CPU_REMOVE: i32 = 8;
    pub const THREAD_NAME_PREFIX: i32 = 9;
    pub const ZERO_COPY_RECV: i32 = 10;
    pub const IPV6: i32 = 42;
    pub const BLOCKY: i32 = 70;
}

/// libzmq's defaults.
pub const IO_THREADS_DFLT: i32 = 1;
pub const MAX_SOCKETS_DFLT: i32 = 1023;
/// The most sockets a context can be configured for on Linux.
pub const SOCKET_LIMIT: i32 = 65535;

#[derive(Debug, Clone)]
pub struct CtxOptions {
    pub io_threads: i32,
    pub max_sockets: i32,
    pub thread_priority: i32,
    pub thread_sched_policy: i32,
    pub max_msgsz: i32,
    pub affinity: Vec<i32>,
    /// As set: an int's decimal form, or `zmq_ctx_set_ext`'s bytes.
    pub thread_name_prefix: Vec<u8>,
    pub zero_copy_recv: bool,
    pub ipv6: bool,
    pub blocky: bool,
}

impl CtxOptions {
    /// What the I/O threads are started with.
    fn threads(&self) -> ThreadOptions {
        ThreadOptions {
            io_threads: self.io_threads,
            thread_sched_policy: self.thread_sched_policy,
            thread_priority: self.thread_priority,
            affinity: self.affinity.clone(),
            thread_name_prefix: thread_name(&self.thread_name_prefix),
        }
    }
}

/// The prefix as a thread name takes it: up to its first NUL (libzmq
/// formats it with `%s`); bytes that are not UTF-8 become U+FFFD (a Rust
/// thread name is a string).
fn thread_name(prefix: &[u8]) -> String {
    let end = prefix.iter().position(|&b| b == 0).unwrap_or(prefix.len());
    String::from_utf8_lossy(&prefix[..end]).into_owned()
}

/// C's `atoi` as glibc does it (`(int) strtol`): leading white space, a
/// sign, the digits that follow; 0 when there are none.
fn atoi(s: &[u8]) -> i32 {
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r') {
        i += 1;
    }
    let neg = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let mut v: i128 = 0;
    while let Some(d) = s.get(i).filter(|c| c.is_ascii_digit()) {
        v = (v * 10 + i128::from(d - b'0')).min(1 << 64);
        i += 1;
    }
    // strtol saturates at the long range; the int cast keeps the low bits.
    let long = (if neg { -v } else { v }).clamp(i64::MIN.into(), i64::MAX.into()) as i64;
    long as i32
}

impl Default for CtxOptions {
    fn default() -> Self {
        CtxOptions {
            io_threads: IO_THREADS_DFLT,
            max_sockets: MAX_SOCKETS_DFLT,
            thread_priority: -1,
            thread_sched_policy: -1,
            max_msgsz: i32::MAX,
            affinity: Vec::new(),
            thread_name_prefix: Vec::new(),
            zero_copy_recv: true,
            ipv6: false,
            blocky: true,
        }
    }
}

/// A value alone on its cache line pair (128 bytes: the adjacent-line
/// prefetch pulls lines in pairs).
#[repr(align(128))]
struct Padded<T>(T);

pub struct Ctx {
    options: Mutex<CtxOptions>,
    /// Read by every call on every socket of the context, from each
    /// application thread: on lines of its own, so no write to a
    /// neighbour (a lock, a count, the next allocation) takes it away from
    /// the readers' caches.
    terminating: Padded<AtomicBool>,
    sockets: Mutex<HashMap<usize, Arc<Socket>>>,
    sockets_cv: Condvar,
    /// Sessions (connections, connecters, listeners) still running; term
    /// waits for them to finish lingering.
    sessions: AtomicUsize,
    sessions_lock: Mutex<()>,
    sessions_cv: Condvar,
    io: Mutex<Option<Arc<IoPool>>>,
    /// The I/O thread settings as they were when the first socket was made:
    /// libzmq starts its threads then, and later `zmq_ctx_set` calls do not
    /// change them (ours start on first use, with these).
    started: Mutex<Option<ThreadOptions>>,
    pub inproc: inproc::Registry,
    /// The process that made the context: a forked child's term must not
    /// wait for threads it does not have.
    pid: u32,
    /// This context, for the sockets it makes (`Host::socket`).
    me: Weak<Ctx>,
}

impl Ctx {
    pub fn new() -> Arc<Ctx> {
        crate::log::init();
        Arc::new_cyclic(|me| Ctx {
            me: me.clone(),
            options: Mutex::new(CtxOptions::default()),
            terminating: Padded(AtomicBool::new(false)),
            sockets: Mutex::new(HashMap::new()),
            sockets_cv: Condvar::new(),
            sessions: AtomicUsize::new(0),
            sessions_lock: Mutex::new(()),
            sessions_cv: Condvar::new(),
            io: Mutex::new(None),
            started: Mutex::new(None),
            inproc: inproc::Registry::default(),
            pid: std::process::id(),
        })
    }

    pub fn set(&self, option: i32, value: i32) -> Result<()> {
        let mut o = self.options.lock();
        match option {
            opt::IO_THREADS if value >= 0 => o.io_threads = value,
            // libzmq clips only to its poller's descriptor limit, which
            // epoll does not have: any count from 1.
            opt::MAX_SOCKETS if value >= 1 => o.max_sockets = value,
            opt::THREAD_PRIORITY if value >= 0 => o.thread_priority = value,
            opt::THREAD_SCHED_POLICY if value >= 0 => o.thread_sched_policy = value,
            opt::THREAD_AFFINITY_CPU_ADD if value >= 0 => o.affinity.push(value),
            opt::THREAD_AFFINITY_CPU_REMOVE if value >= 0 => {
                let before = o.affinity.len();
                o.affinity.retain(|&c| c != value);
                if o.affinity.len() == before {
                    return Err(Error::INVAL);
                }
            }
            // Any int, negative too (libzmq `thread_ctx_t::set`).
            opt::THREAD_NAME_PREFIX => o.thread_name_prefix = value.to_string().into_bytes(),
            opt::MAX_MSGSZ if value >= 0 => o.max_msgsz = value,
            opt::ZERO_COPY_RECV if value >= 0 => o.zero_copy_recv = value != 0,
            opt::IPV6 if value >= 0 => o.ipv6 = value != 0,
            opt::BLOCKY if value >= 0 => o.blocky = value != 0,
            _ => return Err(Error::INVAL),
        }
        Ok(())
    }

    /// Draft `zmq_ctx_set_ext` with a non-int value: only the thread name
    /// prefix, 1..16 bytes (libzmq `thread_ctx_t::set`).
    #[cfg(feature = "draft")]
    pub fn set_bytes(&self, option: i32, value: &[u8]) -> Result<()> {
        if option != opt::THREAD_NAME_PREFIX || value.is_empty() || value.len() > 16 {
            return Err(Error::INVAL);
        }
        self.options.lock().thread_name_prefix = value.to_vec();
        Ok(())
    }

    /// Draft `zmq_ctx_get_ext` with a non-int buffer: the thread name prefix.
    #[cfg(feature = "draft")]
    pub fn get_bytes(&self, option: i32) -> Result<Vec<u8>> {
        if option != opt::THREAD_NAME_PREFIX {
            return Err(Error::INVAL);
        }
        Ok(self.options.lock().thread_name_prefix.clone())
    }

    pub fn get(&self, option: i32) -> Result<i32> {
        let o = self.options.lock();
        Ok(match option {
            opt::IO_THREADS => o.io_threads,
            opt::MAX_SOCKETS => o.max_sockets,
            opt::SOCKET_LIMIT => SOCKET_LIMIT,
            opt::THREAD_SCHED_POLICY => o.thread_sched_policy,
            opt::MAX_MSGSZ => o.max_msgsz,
            opt::MSG_T_SIZE => 64,
            opt::THREAD_NAME_PREFIX => atoi(&o.thread_name_prefix),
            opt::ZERO_COPY_RECV => o.zero_copy_recv as i32,
            opt::IPV6 => o.ipv6 as i32,
            opt::BLOCKY => o.blocky as i32,
            _ => return Err(Error::INVAL),
        })
    }

    pub fn options(&self) -> CtxOptions {
        self.options.lock().clone()
    }

    /// (ipv6, blocky): what new sockets inherit.
    pub fn socket_defaults(&self) -> (bool, bool) {
        let o = self.options.lock();
        (o.ipv6, o.blocky)
    }

    pub fn is_terminating(&self) -> bool {
        self.terminating.0.load(Ordering::Acquire)
    }

    /// Makes a socket of `socket_type`.
    pub fn socket(self: &Arc<Self>, socket_type: i32) -> Result<Arc<Socket>> {
        if self.is_terminating() {
            return Err(Error::TERM);
        }
        let max = {
            let o = self.options.lock();
            self.started.lock().get_or_insert_with(|| o.threads());
            o.max_sockets as usize
        };
        let (ipv6, blocky) = self.socket_defaults();
        let host: Arc<dyn Host> = self.clone();
        let s = Socket::new(host, socket_type, ipv6, blocky)?;
        let mut sockets = self.sockets.lock();
        if self.is_terminating() {
            return Err(Error::TERM);
        }
        if sockets.len() >= max {
            return Err(Error::MFILE);
        }
        sockets.insert(Arc::as_ptr(&s) as usize, s.clone());
        Ok(s)
    }

    /// Called by `zmq_close`.
    pub fn close_socket(&self, s: &Arc<Socket>) {
        s.close();
        self.inproc.unbind_all(s);
        let mut sockets = self.sockets.lock();
        sockets.remove(&(Arc::as_ptr(s) as usize));
        self.sockets_cv.notify_all();
    }

    /// `zmq_ctx_shutdown`: blocking calls return `ETERM`, new sockets are
    /// refused.
    pub fn shutdown(&self) {
        if self.terminating.0.swap(true, Ordering::AcqRel) {
            return;
        }
        for s in self.sockets.lock().values() {
            s.wake();
        }
    }

    /// `zmq_ctx_term`: shutdown, then wait for every socket to be closed and
    /// every session to finish, then stop the I/O threads.
    pub fn term(&self) -> Result<()> {
        if std::process::id() != self.pid {
            // libzmq: a context inherited through fork() is not usable in
            // the child; term returns EINTR at once.
            return Err(Error::INTR);
        }
        self.shutdown();
        {
            let mut sockets = self.sockets.lock();
            crate::log::term_waits_for_sockets(sockets.values());
            while !sockets.is_empty() {
                self.sockets_cv.wait(&mut sockets);
            }
        }
        {
            let mut g = self.sessions_lock.lock();
            crate::log::term_waits_for_sessions(self.sessions.load(Ordering::Acquire));
            while self.sessions.load(Ordering::Acquire) > 0 {
                self.sessions_cv.wait(&mut g);
            }
        }
        let io = self.io.lock().take();
        if let Some(io) = io {
            io.stop();
        }
        Ok(())
    }

    /// The I/O threads, started on first use.
    pub fn io(&self) -> Result<Arc<IoPool>> {
        let mut io = self.io.lock();
        if let Some(p) = &*io {
            return Ok(p.clone());
        }
        let started = self.started.lock().clone();
        let threads = started.unwrap_or_else(|| self.options.lock().threads());
        if threads.io_threads == 0 {
            return Err(Error(crate::error::EMTHREAD));
        }
        let pool = Arc::new(IoPool::start(&threads).map_err(Error::from)?);
        *io = Some(pool.clone());
        Ok(pool)
    }

    /// A session (a connection, a connecter, a listener) starts: term waits
    /// until the returned guard is dropped. Holding the count in a guard
    /// means every way a session can end — returning, panicking (the I/O
    /// thread catches it, see SAFETY.md), being dropped by a stopping
    /// runtime, or never starting because its job was dropped — ends it
    /// for term too.
    pub fn session_guard(self: &Arc<Self>) -> SessionGuard {
        self.sessions.fetch_add(1, Ordering::AcqRel);
        SessionGuard(self.clone())
    }

    fn session_finished(&self) {
        let _g = self.sessions_lock.lock();
        self.sessions.fetch_sub(1, Ordering::AcqRel);
        self.sessions_cv.notify_all();
    }

    /// Sessions still counted (for tests).
    #[cfg(test)]
    pub(crate) fn sessions(&self) -> usize {
        self.sessions.load(Ordering::Acquire)
    }
}

/// A running session, as `Ctx::term` counts them; dropping it ends it.
pub struct SessionGuard(Arc<Ctx>);

impl Drop for SessionGuard {
    fn drop(&mut self) {
        self.0.session_finished();
    }
}

/// What a socket needs of the context that made it (the socket layer's
/// side of the seam: `socket` never names `Ctx`).
impl Host for Ctx {
    fn is_terminating(&self) -> bool {
        Ctx::is_terminating(self)
    }

    fn io(&self) -> Result<Arc<IoPool>> {
        Ctx::io(self)
    }

    fn session_guard(&self) -> AnyGuard {
        match self.me.upgrade() {
            Some(me) => Box::new(me.session_guard()),
            // Unreachable while a socket of this context is alive (it holds
            // the context); nothing to count then.
            None => Box::new(()),
        }
    }

    fn inproc(&self) -> &inproc::Registry {
        &self.inproc
    }

    fn socket(&self, socket_type: i32) -> Result<Arc<Socket>> {
        let me = self.me.upgrade().ok_or(Error::TERM)?;
        Ctx::socket(&me, socket_type)
    }

    fn close_socket(&self, s: &Arc<Socket>) {
        Ctx::close_socket(self, s)
    }
}

#[cfg(test)]
mod prefix_tests {
    use super::{atoi, thread_name};

    #[test]
    fn atoi_as_glibc() {
        assert_eq!(atoi(b"-5"), -5);
        assert_eq!(atoi(b"12ab"), 12);
        assert_eq!(atoi(b" \t+7"), 7);
        assert_eq!(atoi(b"abc"), 0);
        assert_eq!(atoi(b""), 0);
        assert_eq!(atoi(b"-"), 0);
        assert_eq!(atoi(b"2147483648"), i32::MIN);
        assert_eq!(atoi(b"99999999999999999999"), -1); // LONG_MAX as int
        assert_eq!(atoi(b"-99999999999999999999"), 0); // LONG_MIN as int
    }

    #[test]
    fn thread_name_stops_at_nul() {
        assert_eq!(thread_name(b"ab\0cd"), "ab");
        assert_eq!(thread_name(b"-5"), "-5");
        assert_eq!(thread_name(b"a\xffb"), "a\u{fffd}b");
    }
}
