//! The draft API's exports (feature `draft`; libzmq declares them under
//! `ZMQ_BUILD_DRAFT_API`): context and message extensions, groups and
//! peers, the poller, versioned monitors and `zmq_ppoll`. Glue only: each
//! converts its arguments and calls the core.

use super::boundary::{bytes, bytes_mut, call, cstr, out};
use super::consts::{zmq_fd_t, zmq_msg_t, zmq_poller_event_t, zmq_pollitem_t};
use super::ctx::ctx_of;
use super::msg::{put, take, view};
use super::poller::{self as p, Target};
use super::socket::socket_of;
use crate::error::{Error, Result};
use crate::msg::Msg;
use std::ffi::{c_char, c_int, c_long, c_short, c_void};
use std::time::Duration;

// ---------------------------------------------------------------- context

/// Sets a context option from a buffer: an int (as `zmq_ctx_set`), or the
/// thread name prefix as a string of 1..16 bytes.
///
/// # Safety
/// `optval` must be NULL or point to `optvallen` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zmq_ctx_set_ext(
    context: *mut c_void,
    option: c_int,
    optval: *const c_void,
    optvallen: usize,
) -> c_int {
    call(|| {
        let ctx = ctx_of(context)?;
        // SAFETY: optvallen readable bytes, per this function's contract.
        let v = unsafe { bytes(optval, optvallen) }?;
        if let Ok(int) = <[u8; 4]>::try_from(v) {
            return ctx.set(option, c_int::from_ne_bytes(int)).map(|_| 0);
        }
        ctx.set_bytes(option, v).map(|_| 0)
    })
}

/// Reads a context option into a buffer: an int when `*optvallen` is
/// `sizeof(int)`, else the thread name prefix (not NUL-terminated, length
/// left unchanged, as libzmq does).
///
/// # Safety
/// `optvallen` must be valid; `optval` must point to `*optvallen` writable
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn zmq_ctx_get_ext(
    context: *mut c_void,
    option: c_int,
    optval: *mut c_void,
    optvallen: *mut usize,
) -> c_int {
    call(|| {
        let ctx = ctx_of(context)?;
        // SAFETY: a valid size_t out-parameter, per the contract.
        let len = unsafe { out(optvallen) }?;
        // SAFETY: *len writable bytes, per the contract.
        let buf = unsafe { bytes_mut(optval, *len) }?;
        if buf.len() == 4 {
            let v = ctx.get(option)?;
            buf.copy_from_slice(&v.to_ne_bytes());
            return Ok(0);
        }
        let v = ctx.get_bytes(option)?;
        if buf.len() < v.len() {
            return Err(Error::INVAL);
        }
        buf[..v.len()].copy_from_slice(&v);
        Ok(0)
    })
}

// ----------------------------------------------------------------- socket

/// Joins a DISH socket to a group.
///
/// # Safety
/// `group` must be NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn zmq_join(s: *mut c_void, group: *const c_char) -> c_int {
    // SAFETY: the contract is `join_or_leave`'s.
    call(|| unsafe { join_or_leave(s, group, true) })
}

/// Leaves a group.
///
/// # Safety
/// `group` must be NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn zmq_leave(s: *mut c_void, group: *const c_char) -> c_int {
    // SAFETY: the contract is `join_or_leave`'s.
    call(|| unsafe { join_or_leave(s, group, false) })
}

/// # Safety
/// `group` must be NULL or NUL-terminated.
unsafe fn join_or_leave(s: *mut c_void, group: *const c_char, join: bool) -> Result<c_int> {
    let sock = socket_of(s)?;
    // The type decides first: libzmq's `xjoin` of a non-DISH socket is
    // ENOTSUP before it looks at the group.
    let group = || -> Result<&[u8]> {
        if group.is_null() {
            return Err(Error::INVAL);
        }
        // SAFETY: non-null and NUL-terminated by the contract.
        Ok(unsafe { std::ffi::CStr::from_ptr(group) }.to_bytes())
    };
    sock.join_or_leave(group, join).map(|_| 0)
}

/// Connects a PEER socket and returns the new peer's routing id (0 on
/// error).
///
/// # Safety
/// `addr` must be NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn zmq_connect_peer(s: *mut c_void, addr: *const c_char) -> u32 {
    call(|| {
        let sock = socket_of(s)?;
        // SAFETY: NULL or NUL-terminated, per the contract.
        let addr = unsafe { cstr(addr, Error::INVAL) };
        sock.connect_peer(addr)
    })
}

/// Whether the peer with this routing id can take a message now (ROUTER).
///
/// # Safety
/// `routing_id` must be NULL or point to `routing_id_size` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zmq_socket_get_peer_state(
    s: *mut c_void,
    routing_id: *const c_void,
    routing_id_size: usize,
) -> c_int {
    call(|| {
        let sock = socket_of(s)?;
        // SAFETY: routing_id_size readable bytes, per the contract.
        let id = unsafe { bytes(routing_id, routing_id_size) }?;
        sock.peer_state(id)
    })
}

/// Monitors a socket with a chosen event format (1 or 2) into a PAIR, PUB
/// or PUSH socket bound at `addr`.
///
/// # Safety
/// `addr` must be NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn zmq_socket_monitor_versioned(
    s: *mut c_void,
    addr: *const c_char,
    events: u64,
    event_version: c_int,
    socket_type: c_int,
) -> c_int {
    call(|| {
        let sock = socket_of(s)?;
        let uri = if addr.is_null() {
            None
        } else {
            // SAFETY: NUL-terminated, per the contract.
            Some(unsafe { cstr(addr, Error::INVAL) }?)
        };
        sock.monitor_versioned(uri, events, event_version, socket_type)
            .map(|_| 0)
    })
}

/// Asks every pipe for a `ZMQ_EVENT_PIPES_STATS` event.
#[no_mangle]
pub extern "C" fn zmq_socket_monitor_pipes_stats(s: *mut c_void) -> c_int {
    call(|| socket_of(s)?.query_pipes_stats().map(|_| 0))
}

// ---------------------------------------------------------------- message

/// A message holding a copy of `size` bytes at `buf`.
///
/// # Safety
/// `msg` as for `zmq_msg_init`; `buf` must be NULL or point to `size`
/// readable bytes.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_init_buffer(
    msg: *mut zmq_msg_t,
    buf: *const c_void,
    size: usize,
) -> c_int {
    call(|| {
        // SAFETY: size readable bytes, per the contract.
        let data = unsafe { bytes(buf, size) }?;
        // SAFETY: this function's contract is `put`'s.
        unsafe { put(msg, Msg::from_slice(data)) }.map(|_| 0)
    })
}

/// Sets a message's routing id (not 0).
///
/// # Safety
/// As for `zmq_msg_init`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_set_routing_id(msg: *mut zmq_msg_t, routing_id: u32) -> c_int {
    // SAFETY: the contract is `edit`'s.
    call(|| unsafe { edit(msg, |m| m.set_routing_id(routing_id)) }.map(|_| 0))
}

/// A message's routing id, 0 when none.
///
/// # Safety
/// As for `zmq_msg_init`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_routing_id(msg: *mut zmq_msg_t) -> u32 {
    // SAFETY: this function's contract is `view`'s.
    call(|| unsafe { view(msg, |m| m.routing_id()) })
}

/// Sets a message's group (its first `ZMQ_GROUP_MAX_LENGTH` bytes).
///
/// # Safety
/// As for `zmq_msg_init`; `group` must be NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_set_group(msg: *mut zmq_msg_t, group: *const c_char) -> c_int {
    call(|| {
        if group.is_null() {
            return Err(Error::INVAL);
        }
        // SAFETY: non-null and NUL-terminated by the contract.
        let g = unsafe { std::ffi::CStr::from_ptr(group) }.to_bytes();
        // libzmq measures the group with strnlen(…, ZMQ_GROUP_MAX_LENGTH):
        // a longer one is cut, not refused.
        let g = &g[..g.len().min(crate::msg_draft::GROUP_MAX_LENGTH)];
        // SAFETY: the contract is `edit`'s.
        unsafe { edit(msg, |m| m.set_group(g)) }.map(|_| 0)
    })
}

/// A message's group, "" when none; valid while the message lives.
///
/// # Safety
/// As for `zmq_msg_init`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_group(msg: *mut zmq_msg_t) -> *const c_char {
    // SAFETY: this function's contract is `view`'s. The group lives in the
    // metadata's own allocation (or is static), not in `view`'s copy.
    call(|| unsafe { view(msg, |m| m.group_with_nul().as_ptr() as *const c_char) })
}

/// Changes the live message at `msg` with `f`, which may give it metadata
/// (so it is taken out and placed back under the right identity).
///
/// # Safety
/// As for `zmq_msg_init`.
unsafe fn edit(msg: *mut zmq_msg_t, f: impl FnOnce(&mut Msg) -> Result<()>) -> Result<()> {
    // SAFETY: the caller's contract is `take`'s.
    let mut m = unsafe { take(msg) }?;
    let r = f(&mut m);
    // SAFETY: as above; the message goes back whatever `f` said.
    unsafe { put(msg, m) }?;
    r
}

// ----------------------------------------------------------------- poller

#[no_mangle]
pub extern "C" fn zmq_poller_new() -> *mut c_void {
    call(p::new_poller)
}

/// Destroys the poller at `*poller_p` and sets it to NULL.
///
/// # Safety
/// `poller_p` must be NULL or valid for reads and writes of a pointer.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_destroy(poller_p: *mut *mut c_void) -> c_int {
    call(|| {
        // SAFETY: NULL or a valid pointer slot, per the contract.
        let slot = unsafe { out(poller_p) }?;
        p::destroy_poller(*slot)?;
        *slot = std::ptr::null_mut();
        Ok(0)
    })
}

#[no_mangle]
pub extern "C" fn zmq_poller_size(poller: *mut c_void) -> c_int {
    call(|| Ok(p::poller_of(poller)?.size()))
}

#[no_mangle]
pub extern "C" fn zmq_poller_add(
    poller: *mut c_void,
    socket: *mut c_void,
    user_data: *mut c_void,
    events: c_short,
) -> c_int {
    call(|| {
        let (pl, s) = p::poller_and_socket(poller, socket)?;
        p::check_events(events)?;
        pl.add(socket as usize, s, user_data as usize, events)
            .map(|_| 0)
    })
}

#[no_mangle]
pub extern "C" fn zmq_poller_modify(
    poller: *mut c_void,
    socket: *mut c_void,
    events: c_short,
) -> c_int {
    call(|| {
        let (pl, _) = p::poller_and_socket(poller, socket)?;
        p::check_events(events)?;
        pl.modify(Target::Socket(socket as usize), events)
            .map(|_| 0)
    })
}

#[no_mangle]
pub extern "C" fn zmq_poller_remove(poller: *mut c_void, socket: *mut c_void) -> c_int {
    call(|| {
        let (pl, _) = p::poller_and_socket(poller, socket)?;
        pl.remove(Target::Socket(socket as usize)).map(|_| 0)
    })
}

#[no_mangle]
pub extern "C" fn zmq_poller_add_fd(
    poller: *mut c_void,
    fd: zmq_fd_t,
    user_data: *mut c_void,
    events: c_short,
) -> c_int {
    call(|| {
        let pl = p::poller_and_fd(poller, fd)?;
        p::check_events(events)?;
        pl.add_fd(fd, user_data as usize, events).map(|_| 0)
    })
}

#[no_mangle]
pub extern "C" fn zmq_poller_modify_fd(
    poller: *mut c_void,
    fd: zmq_fd_t,
    events: c_short,
) -> c_int {
    call(|| {
        let pl = p::poller_and_fd(poller, fd)?;
        p::check_events(events)?;
        pl.modify(Target::Fd(fd), events).map(|_| 0)
    })
}

#[no_mangle]
pub extern "C" fn zmq_poller_remove_fd(poller: *mut c_void, fd: zmq_fd_t) -> c_int {
    call(|| {
        let pl = p::poller_and_fd(poller, fd)?;
        pl.remove(Target::Fd(fd)).map(|_| 0)
    })
}

/// Waits for one event; 0 on success. On failure `*event` is cleared.
///
/// # Safety
/// `event` must be NULL or valid for writes of one `zmq_poller_event_t`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_wait(
    poller: *mut c_void,
    event: *mut zmq_poller_event_t,
    timeout: c_long,
) -> c_int {
    // SAFETY: one event, per this function's contract.
    let rc = unsafe { zmq_poller_wait_all(poller, event, 1, timeout) };
    if rc < 0 && !event.is_null() {
        // SAFETY: non-null and writable, per the contract.
        unsafe { event.write(p::empty_event()) };
    }
    rc.min(0)
}

/// Waits for up to `n_events` events; returns how many.
///
/// # Safety
/// `events` must be NULL or valid for writes of `n_events` entries.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_wait_all(
    poller: *mut c_void,
    events: *mut zmq_poller_event_t,
    n_events: c_int,
    timeout: c_long,
) -> c_int {
    call(|| {
        let pl = p::poller_of(poller)?;
        if events.is_null() {
            return Err(Error::FAULT);
        }
        if n_events < 0 {
            return Err(Error::INVAL);
        }
        // SAFETY: n_events writable entries, per the contract.
        let out = unsafe { std::slice::from_raw_parts_mut(events, n_events as usize) };
        pl.wait(out, timeout)
    })
}

/// The poller's signal fd: only pollers of thread-safe sockets have one.
///
/// # Safety
/// `fd` must be NULL or valid for writes of a `zmq_fd_t`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_fd(poller: *mut c_void, fd: *mut zmq_fd_t) -> c_int {
    call(|| {
        let pl = p::poller_of(poller)?;
        let v = pl.signaler_fd()?;
        // SAFETY: NULL or writable, per the contract.
        *unsafe { out(fd) }? = v;
        Ok(0)
    })
}

// ------------------------------------------------------------------- poll

/// `zmq_poll` whose wait runs with `sigmask` installed (`ppoll(2)`).
///
/// # Safety
/// `items` must point to `nitems` valid items; `sigmask` must be NULL or a
/// valid `sigset_t`.
#[no_mangle]
pub unsafe extern "C" fn zmq_ppoll(
    items: *mut zmq_pollitem_t,
    nitems: c_int,
    timeout: c_long,
    sigmask: *const libc::sigset_t,
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
        // SAFETY: NULL or a valid sigset_t, per the contract.
        let mask = unsafe { sigmask.as_ref() };
        super::poll::poll_items(items, timeout, mask)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::boundary::errno;

    #[test]
    fn a_destroyed_poller_is_efault_not_freed_memory() {
        let mut p = zmq_poller_new();
        assert!(!p.is_null());
        let stale = p;
        // SAFETY: `p` is a valid pointer slot.
        assert_eq!(unsafe { zmq_poller_destroy(&mut p) }, 0);
        assert!(p.is_null());
        assert_eq!(zmq_poller_size(stale), -1);
        assert_eq!(errno(), libc::EFAULT);
        let mut again = stale;
        // SAFETY: as above.
        assert_eq!(unsafe { zmq_poller_destroy(&mut again) }, -1);
        assert_eq!(errno(), libc::EFAULT);
        assert_eq!(again, stale, "a failed destroy leaves the pointer");
        let mut ev = p::empty_event();
        // SAFETY: one writable event.
        assert_eq!(unsafe { zmq_poller_wait(stale, &mut ev, 0) }, -1);
        assert_eq!(errno(), libc::EFAULT);
    }

    #[test]
    fn a_socket_handle_is_not_a_poller() {
        let ctx = crate::ffi::ctx::zmq_ctx_new();
        let s = crate::ffi::socket::zmq_socket(ctx, 0);
        assert_eq!(zmq_poller_size(s), -1);
        assert_eq!(errno(), libc::EFAULT);
        let p = zmq_poller_new();
        // A poller handle is not a socket either.
        assert_eq!(zmq_poller_add(p, p, std::ptr::null_mut(), 1), -1);
        assert_eq!(errno(), libc::ENOTSOCK);
        let mut p = p;
        // SAFETY: a valid pointer slot.
        unsafe { zmq_poller_destroy(&mut p) };
        crate::ffi::socket::zmq_close(s);
        crate::ffi::ctx::zmq_ctx_term(ctx);
    }
}
