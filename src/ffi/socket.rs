//! Socket exports: creation, options, endpoints, send and receive.

use super::boundary::{bytes, bytes_mut, call, cstr, lookup, out, ptr_to_token, publish, take};
use super::consts::zmq_msg_t;
use super::ctx::ctx_of;
use super::msg as cmsg;
use crate::error::{Error, Result};
use crate::handle::{HandleTable, Kind};
use crate::msg::Msg;
use crate::options::OptVal;
use crate::socket::Socket;
use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_void};
use std::sync::Arc;

pub static SOCKETS: HandleTable<Socket> = HandleTable::new(Kind::Socket);

thread_local! {
    /// The socket this thread used last: a thread calling one socket again
    /// and again (the common case) checks only that its handle is still
    /// live, without the slot's lock.
    static LAST_SOCKET: RefCell<Option<(u64, Arc<Socket>)>> = const { RefCell::new(None) };
}

pub fn socket_of(p: *const c_void) -> Result<Arc<Socket>> {
    let token = ptr_to_token(p).ok_or(Error::NOTSOCK)?;
    if SOCKETS.is_live(token) {
        let cached = LAST_SOCKET
            .try_with(|c| match c.try_borrow().as_deref() {
                Ok(Some((t, s))) if *t == token => Some(s.clone()),
                _ => None,
            })
            .ok()
            .flatten();
        if let Some(s) = cached {
            return Ok(s);
        }
    }
    let s = lookup(&SOCKETS, p, Error::NOTSOCK)?;
    // Not while a call on this thread has the cache lent (a nested call):
    // the cache stays as it is then.
    let _old = LAST_SOCKET.try_with(|c| {
        let mut last = c.try_borrow_mut().ok()?;
        last.replace((token, s.clone()))
    });
    Ok(s)
}

/// Runs `f` with the socket behind `p` (the send and receive calls). The
/// thread's cached socket is lent to `f` under a shared borrow of the
/// cache, so the common case touches no reference count: two atomic
/// read-modify-writes per call fewer than `socket_of`'s clone and drop. A
/// nested call on this thread (from a free function, say) may borrow it
/// too, and leaves the cache as it is where it would change it.
fn with_socket<R>(p: *const c_void, f: impl FnOnce(&Socket) -> Result<R>) -> Result<R> {
    let token = ptr_to_token(p).ok_or(Error::NOTSOCK)?;
    let mut f = Some(f);
    if SOCKETS.is_live(token) {
        let lent = LAST_SOCKET.try_with(|c| match c.try_borrow().as_deref() {
            Ok(Some((t, s))) if *t == token => f.take().map(|f| f(s)),
            _ => None,
        });
        if let Ok(Some(r)) = lent {
            return r;
        }
    }
    with_socket_slow(p, f)
}

/// `with_socket` when the socket is not this thread's cached one: kept
/// out of line, so the common path saves fewer registers.
#[cold]
#[inline(never)]
fn with_socket_slow<R>(
    p: *const c_void,
    f: Option<impl FnOnce(&Socket) -> Result<R>>,
) -> Result<R> {
    let f = f.ok_or(Error::FAULT)?;
    f(&*socket_of(p)?)
}

/// Forgets this thread's cached socket if it is `token`'s (closed now).
/// Under a nested call that has it lent, it stays: a closed socket's
/// handle is never live again, so the cache never lends it, and the next
/// socket cached replaces it.
fn forget_socket(p: *const c_void) {
    let Some(token) = ptr_to_token(p) else {
        return;
    };
    // Taken under the borrow, dropped after it.
    let _old = LAST_SOCKET.try_with(|c| {
        let mut last = c.try_borrow_mut().ok()?;
        last.take_if(|(t, _)| *t == token)
    });
}

#[no_mangle]
pub extern "C" fn zmq_socket(context: *mut c_void, socket_type: c_int) -> *mut c_void {
    call(|| {
        let ctx = ctx_of(context)?;
        let s = ctx.socket(socket_type)?;
        publish(&SOCKETS, s.clone(), Error::MFILE).inspect_err(|_| ctx.close_socket(&s))
    })
}

#[no_mangle]
pub extern "C" fn zmq_close(s: *mut c_void) -> c_int {
    call(|| {
        let sock = take(&SOCKETS, s, Error::NOTSOCK)?;
        forget_socket(s);
        sock.ctx.close_socket(&sock);
        Ok(0)
    })
}

/// Sets a socket option.
///
/// # Safety
/// `optval` must be NULL or point to `optvallen` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zmq_setsockopt(
    s: *mut c_void,
    option: c_int,
    optval: *const c_void,
    optvallen: usize,
) -> c_int {
    call(|| {
        let sock = socket_of(s)?;
        // SAFETY: the caller gives optvallen readable bytes (or NULL, 0).
        let v = unsafe { bytes(optval, optvallen) }.map_err(|_| Error::INVAL)?;
        // libzmq tells NULL (reset) from "" (invalid) for these strings, a
        // difference only this boundary can see.
        use crate::options::opt;
        let empty_refused = matches!(
            option,
            opt::SOCKS_PROXY
                | opt::TCP_ACCEPT_FILTER
                | opt::BINDTODEVICE
                | opt::PLAIN_USERNAME
                | opt::PLAIN_PASSWORD
                | opt::IPC_FILTER_PID
                | opt::IPC_FILTER_UID
                | opt::IPC_FILTER_GID
        );
        if empty_refused && !optval.is_null() && optvallen == 0 {
            return Err(Error::INVAL);
        }
        sock.setsockopt(option, v).map(|_| 0)
    })
}

/// Reads a socket option.
///
/// # Safety
/// `optval` must point to `*optvallen` writable bytes; `optvallen` must be
/// valid for reads and writes.
#[no_mangle]
pub unsafe extern "C" fn zmq_getsockopt(
    s: *mut c_void,
    option: c_int,
    optval: *mut c_void,
    optvallen: *mut usize,
) -> c_int {
    call(|| {
        // (The thread's cached socket, lent: bindings ask ZMQ_RCVMORE
        // after every frame of a multipart message.)
        with_socket(s, |sock| {
            // SAFETY: the caller gives a valid size_t out-parameter.
            let len = unsafe { out(optvallen) }.map_err(|_| Error::INVAL)?;
            let v = sock.getsockopt(option)?;
            // SAFETY: the caller gives *len writable bytes at optval.
            let buf = unsafe { bytes_mut(optval, *len) }.map_err(|_| Error::INVAL)?;
            *len = if relaxed_size(option) {
                encode_relaxed(&v, buf)?
            } else {
                encode_optval(&v, buf)?
            };
            Ok(0)
        })
    })
}

/// libzmq answers these socket-level options in a buffer of at least their
/// size (zero-filling the rest); the others need their exact size.
fn relaxed_size(option: c_int) -> bool {
    use crate::options::opt;
    matches!(
        option,
        opt::RCVMORE | opt::FD | opt::EVENTS | opt::THREAD_SAFE
    )
}

fn encode_relaxed(v: &OptVal, buf: &mut [u8]) -> Result<usize> {
    match v {
        OptVal::Int(i) | OptVal::Fd(i) => put_int_relaxed(*i, buf),
        _ => encode_optval(v, buf),
    }
}

/// An int into a buffer of at least its size, the rest zero-filled.
fn put_int_relaxed(i: i32, buf: &mut [u8]) -> Result<usize> {
    let bytes = i.to_ne_bytes();
    let (head, rest) = buf.split_at_mut_checked(bytes.len()).ok_or(Error::INVAL)?;
    head.copy_from_slice(&bytes);
    if !rest.is_empty() {
        rest.fill(0);
    }
    Ok(bytes.len())
}

/// Writes an option value as libzmq does; `EINVAL` when `buf` is too small.
fn encode_optval(v: &OptVal, buf: &mut [u8]) -> Result<usize> {
    fn put(buf: &mut [u8], b: &[u8]) -> Result<usize> {
        if buf.len() < b.len() {
            return Err(Error::INVAL);
        }
        buf[..b.len()].copy_from_slice(b);
        Ok(b.len())
    }
    // Numbers need a buffer of exactly their size, as in libzmq.
    fn exact(buf: &mut [u8], b: &[u8]) -> Result<usize> {
        if buf.len() != b.len() {
            return Err(Error::INVAL);
        }
        put(buf, b)
    }
    match v {
        OptVal::Int(i) | OptVal::Fd(i) => exact(buf, &i.to_ne_bytes()),
        OptVal::Int64(i) => exact(buf, &i.to_ne_bytes()),
        OptVal::Uint64(u) => exact(buf, &u.to_ne_bytes()),
        OptVal::Bin(b) => put(buf, b),
        OptVal::CurveKey(k) => match buf.len() {
            32 => put(buf, k),
            41 => {
                let n = crate::util::z85::encode_into(k, buf)?;
                buf[n] = 0;
                Ok(n + 1)
            }
            _ => Err(Error::INVAL),
        },
        OptVal::Str(s) => put_text(buf, s.as_bytes()),
        OptVal::Text(b) => put_text(buf, b),
    }
}

/// A string option's bytes and a NUL (EINVAL when they do not fit).
fn put_text(buf: &mut [u8], s: &[u8]) -> Result<usize> {
    if buf.len() < s.len() + 1 {
        return Err(Error::INVAL);
    }
    buf[..s.len()].copy_from_slice(s);
    buf[s.len()] = 0;
    Ok(s.len() + 1)
}

/// Resolves a socket and an endpoint string for the endpoint calls.
///
/// # Safety
/// `addr` must be NULL or a NUL-terminated string.
unsafe fn with_endpoint(
    s: *mut c_void,
    addr: *const c_char,
    f: impl FnOnce(&Arc<Socket>, &str) -> Result<()>,
) -> c_int {
    call(|| {
        let sock = socket_of(s)?;
        // SAFETY: NULL or NUL-terminated, per this function's contract.
        let uri = unsafe { cstr(addr, Error::INVAL) }?;
        f(&sock, uri).map(|_| 0)
    })
}

/// Binds the socket to an endpoint.
///
/// # Safety
/// `addr` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn zmq_bind(s: *mut c_void, addr: *const c_char) -> c_int {
    // SAFETY: same contract as this function.
    unsafe { with_endpoint(s, addr, |s, u| s.bind(u)) }
}

/// Connects the socket to an endpoint.
///
/// # Safety
/// `addr` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn zmq_connect(s: *mut c_void, addr: *const c_char) -> c_int {
    // SAFETY: same contract as this function.
    unsafe { with_endpoint(s, addr, |s, u| s.connect(u)) }
}

/// Stops listening on a bound endpoint.
///
/// # Safety
/// `addr` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn zmq_unbind(s: *mut c_void, addr: *const c_char) -> c_int {
    // SAFETY: same contract as this function.
    unsafe { with_endpoint(s, addr, |s, u| s.unbind(u)) }
}

/// Drops a connected endpoint.
///
/// # Safety
/// `addr` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn zmq_disconnect(s: *mut c_void, addr: *const c_char) -> c_int {
    // SAFETY: same contract as this function.
    unsafe { with_endpoint(s, addr, |s, u| s.disconnect(u)) }
}

fn clip(n: usize) -> c_int {
    n.min(c_int::MAX as usize) as c_int
}

/// Sends one frame from a buffer.
///
/// # Safety
/// `buf` must point to `len` readable bytes (or be NULL with len 0).
#[no_mangle]
pub unsafe extern "C" fn zmq_send(
    s: *mut c_void,
    buf: *const c_void,
    len: usize,
    flags: c_int,
) -> c_int {
    call(|| {
        // SAFETY: the caller gives len readable bytes.
        let data = unsafe { bytes(buf, len) }?;
        with_socket(s, |sock| sock.send_slice(data, flags))?;
        Ok(clip(len))
    })
}

/// Sends one frame from a constant buffer.
///
/// # Safety
/// As `zmq_send`; libzmq does not copy constant buffers, we do (small cost,
/// same semantics).
#[no_mangle]
pub unsafe extern "C" fn zmq_send_const(
    s: *mut c_void,
    buf: *const c_void,
    len: usize,
    flags: c_int,
) -> c_int {
    // SAFETY: same contract as zmq_send.
    unsafe { zmq_send(s, buf, len, flags) }
}

/// Receives one frame into a buffer (truncating; returns the full size).
///
/// # Safety
/// `buf` must point to `len` writable bytes (or be NULL with len 0).
#[no_mangle]
pub unsafe extern "C" fn zmq_recv(
    s: *mut c_void,
    buf: *mut c_void,
    len: usize,
    flags: c_int,
) -> c_int {
    call(|| {
        // SAFETY: the caller gives len writable bytes.
        let out = unsafe { bytes_mut(buf, len) }?;
        // Read into a local message that is only read from then: no copy
        // of it is made (see `Socket::recv_into`).
        let mut m = Msg::new();
        with_socket(s, |sock| sock.recv_into(flags, &mut m))?;
        let n = m.len().min(len);
        out[..n].copy_from_slice(&m.data()[..n]);
        crate::pipe::offer_spare_metadata(m.take_metadata());
        let len = m.len();
        m.release();
        Ok(clip(len))
    })
}

/// Sends the message; on success `msg` becomes an empty message.
///
/// # Safety
/// `msg` must be NULL or point to a `zmq_msg_t` no other thread uses during
/// the call.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_send(msg: *mut zmq_msg_t, s: *mut c_void, flags: c_int) -> c_int {
    call(|| {
        with_socket(s, |sock| {
            // SAFETY: this function's contract is the helpers'.
            let (m, slot) = unsafe { cmsg::take_slot(msg) }?;
            let len = m.len();
            match sock.send(m, flags) {
                Ok(()) => {
                    // SAFETY: as above.
                    unsafe { cmsg::put(msg, Msg::new()) }?;
                    Ok(clip(len))
                }
                Err((e, mut m)) => {
                    // The message stays the caller's, its body untouched;
                    // as in libzmq, a send that got as far as the socket
                    // left the message's MORE flag as the call asked.
                    if e != Error::TERM && e != Error::FAULT {
                        m.set_more(flags & crate::ffi::consts::ZMQ_SNDMORE != 0);
                    }
                    // SAFETY: as above.
                    unsafe { cmsg::put_in(msg, m, slot) }?;
                    Err(e)
                }
            }
        })
    })
}

/// Receives one frame into `msg` (closing what it held).
///
/// # Safety
/// As for `zmq_msg_send`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_recv(msg: *mut zmq_msg_t, s: *mut c_void, flags: c_int) -> c_int {
    call(|| {
        with_socket(s, |sock| {
            // The message being replaced is taken out (claimed, as any
            // receive into a copy claims it: other copies are stale from
            // here on) and lends its connection metadata to the frame read
            // next, which saves an Arc clone and release per frame: the
            // empty message the frame is read into holds it
            // (`PipeEnd::read_into` keeps it for a frame of the same
            // connection).
            // SAFETY: this function's contract is the helpers'.
            let (mut old, mut slot) = unsafe { cmsg::take_slot(msg) }?;
            let mut lent = old.take_metadata();
            let lent_at = lent.as_ref().map(Arc::as_ptr);
            // The frame is read straight into C's storage; the taken
            // message's identity entry, if it had one, serves it.
            // SAFETY: as above.
            let got = unsafe {
                cmsg::fill_in(msg, &mut slot, |m| {
                    m.set_metadata(lent.take());
                    match sock.recv_into(flags, m) {
                        Ok(()) => Ok(m.len()),
                        Err(e) => {
                            // Nothing was read: `m` is as it was given.
                            lent = m.take_metadata();
                            Err(e)
                        }
                    }
                })
            };
            match got {
                Ok(len) => {
                    old.release();
                    Ok(clip(len))
                }
                Err(e)
                    if (e == Error::AGAIN || e == Error::INTR)
                        // libzmq's XPUB and STREAM read into a queue or a
                        // prefetched message of their own: theirs is kept.
                        && !matches!(
                            sock.socket_type,
                            crate::socket::types::XPUB | crate::socket::types::STREAM
                        ) =>
                {
                    // Nothing arrived: the message is left empty, as in
                    // libzmq, whose pipes close it before reading (and a
                    // blocking wait that is interrupted read first). What
                    // it lent is kept for the next frame.
                    drop(old);
                    crate::pipe::offer_spare_metadata(lent);
                    // SAFETY: as above.
                    unsafe { cmsg::put(msg, Msg::new()) }?;
                    Err(e)
                }
                Err(e) => {
                    // Refused (ETERM, ENOTSUP, EFSM): the caller's message
                    // is put back as it was, its metadata with it. (libzmq
                    // leaves it so too, except after an ETERM that ended a
                    // wait, where its pipe had emptied it.)
                    // (A pattern that reads into a message of its own
                    // left what was lent in the thread's spare.)
                    if let Some(at) = lent_at {
                        old.set_metadata(
                            lent.filter(|l| Arc::as_ptr(l) == at)
                                .or_else(|| crate::pipe::reclaim_spare_metadata(at)),
                        );
                    }
                    // SAFETY: as above.
                    unsafe { cmsg::put_in(msg, old, slot) }?;
                    Err(e)
                }
            }
        })
    })
}

/// # Safety
/// As for `zmq_msg_send`.
#[no_mangle]
pub unsafe extern "C" fn zmq_sendmsg(s: *mut c_void, msg: *mut zmq_msg_t, flags: c_int) -> c_int {
    // SAFETY: the same contract.
    unsafe { zmq_msg_send(msg, s, flags) }
}

/// # Safety
/// As for `zmq_msg_send`.
#[no_mangle]
pub unsafe extern "C" fn zmq_recvmsg(s: *mut c_void, msg: *mut zmq_msg_t, flags: c_int) -> c_int {
    // SAFETY: the same contract.
    unsafe { zmq_msg_recv(msg, s, flags) }
}

/// Sends a multipart message from an iovec array.
///
/// # Safety
/// `a` must point to `count` iovecs, each pointing to readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zmq_sendiov(
    s: *mut c_void,
    a: *mut libc::iovec,
    count: usize,
    flags: c_int,
) -> c_int {
    call(|| {
        with_socket(s, |sock| {
            if count == 0 || a.is_null() {
                return Err(Error::INVAL);
            }
            // SAFETY: the caller gives `count` iovecs at `a`.
            let iov = unsafe { std::slice::from_raw_parts(a, count) };
            let mut last = 0;
            for (i, v) in iov.iter().enumerate() {
                // SAFETY: each iovec points to iov_len readable bytes.
                let data = unsafe { bytes(v.iov_base, v.iov_len) }?;
                last = data.len();
                // As libzmq: the caller's flags go with every part, and only
                // the last part loses SNDMORE.
                let f = if i + 1 < count {
                    flags
                } else {
                    flags & !crate::socket::SNDMORE
                };
                // Copied as zmq_send copies (small bodies into the slab).
                sock.send_slice(data, f)?;
            }
            // libzmq returns the size of the last part sent.
            Ok(clip(last))
        })
    })
}

/// Receives up to `*count` parts into malloc'd buffers.
///
/// # Safety
/// `a` must point to `*count` writable iovecs; received buffers are
/// allocated with malloc and owned by the caller, as in libzmq.
#[no_mangle]
pub unsafe extern "C" fn zmq_recviov(
    s: *mut c_void,
    a: *mut libc::iovec,
    count: *mut usize,
    flags: c_int,
) -> c_int {
    call(|| {
        let sock = socket_of(s)?;
        // SAFETY: the caller gives a valid size_t (or NULL: EINVAL).
        let count = unsafe { out(count) }.map_err(|_| Error::INVAL)?;
        if a.is_null() || *count == 0 {
            return Err(Error::INVAL);
        }
        let wanted = *count;
        *count = 0;
        // SAFETY: the caller gives *count writable iovecs at `a`.
        let iov = unsafe { std::slice::from_raw_parts_mut(a, wanted) };
        let mut n = 0;
        // libzmq stops after *count parts (the rest stays readable) and
        // returns the number of parts received.
        while n < iov.len() {
            let m = match sock.recv(flags) {
                Ok(m) => m,
                Err(e) => {
                    *count = n;
                    return Err(e);
                }
            };
            {
                // SAFETY: malloc'd for m.len() bytes (at least 1); the copy
                // stays within it.
                let p = unsafe { libc::malloc(m.len().max(1)) };
                if p.is_null() {
                    return Err(Error(libc::ENOMEM));
                }
                // SAFETY: `p` holds m.len() writable bytes.
                unsafe { std::ptr::copy_nonoverlapping(m.data().as_ptr(), p as *mut u8, m.len()) };
                iov[n] = libc::iovec {
                    iov_base: p,
                    iov_len: m.len(),
                };
                n += 1;
            }
            if !m.more() {
                break;
            }
        }
        *count = n;
        Ok(clip(n))
    })
}

/// Starts or stops monitoring socket events.
///
/// # Safety
/// `addr` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn zmq_socket_monitor(
    s: *mut c_void,
    addr: *const c_char,
    events: c_int,
) -> c_int {
    call(|| {
        let sock = socket_of(s)?;
        let uri = if addr.is_null() {
            None
        } else {
            // SAFETY: NUL-terminated, per this function's contract.
            Some(unsafe { cstr(addr, Error::INVAL) }?)
        };
        sock.monitor(uri, events).map(|_| 0)
    })
}
