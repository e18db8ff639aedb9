//! `zmq_msg_t`: C owns 64 bytes; a `Msg` lives at their start and a tag at
//! their end. A message that owns memory (a shared body, a caller's buffer,
//! connection metadata) has an identity (see `identity`) that tells the live
//! message from garbage, a closed message or a stale `memcpy` copy of it:
//! C may move a message by `memcpy` (a `Msg` has no pointer into itself),
//! the copy consumed first becomes the message and every other copy is
//! refused with `EFAULT`, so the content is released exactly once. A message
//! that owns nothing is tagged `PLAIN`: its copies are independent values.
//!
//! C's storage may be unaligned (bindings declare `zmq_msg_t` as 64 bytes of
//! alignment 1), so a `Msg` is read and written unaligned, and borrowed in
//! place only when aligned: for reading (`view`), and by `fill_in`, which
//! receives a frame straight into the storage.

use super::boundary::{call, cstr};
use super::identity::{self, Found, Slot, PLAIN};
use crate::error::{Error, Result};
use crate::io::foreign::Foreign;
use crate::msg::Msg;
use std::ffi::{c_char, c_int, c_void};
use std::mem::ManuallyDrop;

pub use super::consts::zmq_msg_t;

/// Where the tag (a `u64`) lives in the 64 bytes.
const TAG_AT: usize = 56;
const _: () = assert!(std::mem::size_of::<Msg>() <= TAG_AT);
const _: () = assert!(std::mem::size_of::<zmq_msg_t>() == TAG_AT + 8);

fn tag_ptr(m: *mut zmq_msg_t) -> *mut u64 {
    (m as *mut u8).wrapping_add(TAG_AT) as *mut u64
}

/// Whether a message owns memory that a second release would free twice.
fn owns_memory(msg: &Msg) -> bool {
    msg.holds_body() || msg.metadata().is_some()
}

/// The tag of the live message at `m`, or `EFAULT`. With `claim` (the
/// caller consumes or changes the message), a copy found away from its
/// home becomes the message, here.
///
/// # Safety
/// `m` must be NULL or valid for reads and writes of 64 bytes.
#[inline]
unsafe fn live(m: *mut zmq_msg_t, claim: bool) -> Result<u64> {
    if m.is_null() {
        return Err(Error::FAULT);
    }
    // SAFETY: non-null and 64 bytes by the contract; the tag lies inside,
    // read unaligned.
    let tag = unsafe { tag_ptr(m).read_unaligned() };
    if tag == PLAIN {
        return Ok(tag);
    }
    match identity::resolve(m as usize, tag, claim) {
        Found::Home | Found::Copy => Ok(tag),
        Found::Moved(new) => {
            // SAFETY: as above; the message lives here from now on.
            unsafe { tag_ptr(m).write_unaligned(new) };
            Ok(new)
        }
        Found::Dead => Err(Error::FAULT),
    }
}

/// Stores `msg` and its tag in C's storage.
///
/// # Safety
/// `m` must be non-null and valid for writes of 64 bytes, not in use by
/// another thread.
unsafe fn store(m: *mut zmq_msg_t, msg: Msg, tag: u64) {
    // SAFETY: by the contract; `Msg` fits before the tag (asserted above);
    // both written unaligned.
    unsafe {
        (m as *mut Msg).write_unaligned(msg);
        tag_ptr(m).write_unaligned(tag);
    }
}

/// Places `msg` into C's storage, under a new identity if it owns memory
/// (whatever was there is overwritten, as `zmq_msg_init` does in libzmq).
///
/// # Safety
/// `m` must be NULL or valid for reads and writes of 64 bytes, not in use
/// by another thread.
// Inlined: the message is then built straight into C's storage (an
// out-of-line put made the small-message init/close cycle 50% slower).
#[inline(always)]
pub(super) unsafe fn put(m: *mut zmq_msg_t, msg: Msg) -> Result<()> {
    // SAFETY: the caller's contract is `put_in`'s.
    unsafe { put_in(m, msg, None) }
}

/// As `put`, placing a message that owns memory in `slot` when given one
/// (the identity entry of the message taken from here before: no trip
/// through the thread's free entries). An unused slot is given back.
///
/// # Safety
/// As for `put`.
#[inline(always)]
pub(super) unsafe fn put_in(m: *mut zmq_msg_t, msg: Msg, slot: Option<Slot>) -> Result<()> {
    if m.is_null() {
        return Err(Error::FAULT);
    }
    let tag = tag_for(m, &msg, slot)?;
    // SAFETY: non-null; the rest is the caller's contract.
    unsafe { store(m, msg, tag) };
    Ok(())
}

/// The tag of `msg` placed at `m`: a new identity if it owns memory (in
/// `slot` when given), `PLAIN` if not; `ENOMEM` when no identity is left.
#[inline(always)]
fn tag_for(m: *mut zmq_msg_t, msg: &Msg, slot: Option<Slot>) -> Result<u64> {
    if !owns_memory(msg) {
        return Ok(PLAIN);
    }
    match slot {
        Some(s) => Ok(s.place(m as usize)),
        None => identity::place(m as usize).ok_or(Error(libc::ENOMEM)),
    }
}

/// Lets `f` fill C's storage at `m` in place (aligned storage; elsewhere a
/// local message that is then stored): `f` gets an empty message to
/// replace, and on success the result is placed (under `slot`'s identity
/// when it owns memory and a slot is given; the slot is taken only then).
/// On failure the storage holds an empty message, closed (what `f` may
/// have left there is dropped): the caller places what it must (as after
/// `take`).
///
/// # Safety
/// As for `put`. What `m` held is overwritten without a drop: it was
/// taken out before (`take_slot`), or is not a message (`zmq_msg_init_size`
/// initialises storage, as `zmq_msg_init` does).
#[inline(always)]
pub(super) unsafe fn fill_in<R>(
    m: *mut zmq_msg_t,
    slot: &mut Option<Slot>,
    f: impl FnOnce(&mut Msg) -> Result<R>,
) -> Result<R> {
    if m.is_null() {
        return Err(Error::FAULT);
    }
    if !(m as usize).is_multiple_of(std::mem::align_of::<Msg>()) {
        // (Dropped, whatever `f` left in it, on failure.)
        let mut local = Msg::new();
        let r = f(&mut local).inspect_err(|_| {
            // SAFETY: the tag lies inside the 64 bytes; closed.
            unsafe { tag_ptr(m).write_unaligned(0) };
        })?;
        // SAFETY: the caller's contract.
        unsafe { put_in(m, local, slot.take()) }?;
        return Ok(r);
    }
    let place = m as *mut Msg;
    // SAFETY: non-null, aligned, 64 writable bytes no other thread uses
    // (the contract); what was there was taken out, so it is overwritten
    // without a drop. An empty message owns nothing: if `f` panics, what
    // it left there is at worst leaked (the tag still says dead).
    unsafe { place.write(Msg::new()) };
    // SAFETY: a `Msg` lives at `place` now, aligned, used by nobody else
    // during the call.
    let r = f(unsafe { &mut *place });
    let tag = match &r {
        // SAFETY: as above.
        Ok(_) => tag_for(m, unsafe { &*place }, slot.take()),
        Err(e) => Err(*e),
    };
    match tag {
        Ok(tag) => {
            // SAFETY: the tag lies inside the 64 bytes.
            unsafe { tag_ptr(m).write_unaligned(tag) };
            r
        }
        Err(e) => {
            // `f` failed, or no identity is left (ENOMEM): what is there
            // is read out once and dropped, and an empty message (owning
            // nothing) is left, closed.
            // SAFETY: as above.
            unsafe {
                drop(place.replace(Msg::new()));
                tag_ptr(m).write_unaligned(0);
            }
            Err(e)
        }
    }
}

/// Takes the live message out of C's storage, leaving it closed (and, for a
/// message that owns memory, every copy of it dead).
///
/// # Safety
/// As for `put`.
#[inline(always)]
pub(super) unsafe fn take(m: *mut zmq_msg_t) -> Result<Msg> {
    // SAFETY: the caller's contract is `take_slot`'s.
    unsafe { take_slot(m) }.map(|(msg, _)| msg)
}

/// As `take`, also handing back the identity entry the message had (for
/// `put_in` to place the next message at the same place).
///
/// # Safety
/// As for `put`.
#[inline(always)]
pub(super) unsafe fn take_slot(m: *mut zmq_msg_t) -> Result<(Msg, Option<Slot>)> {
    if m.is_null() {
        return Err(Error::FAULT);
    }
    // SAFETY: non-null and 64 bytes by the contract; the tag lies inside,
    // read unaligned.
    let tag = unsafe { tag_ptr(m).read_unaligned() };
    // Any copy may be taken, at its home or not: the take itself makes
    // every copy stale (one compare-and-swap of the generation).
    let slot = if tag == PLAIN {
        None
    } else {
        Some(identity::take(tag).ok_or(Error::FAULT)?)
    };
    // SAFETY: a `Msg` was placed here (or copied here bitwise): a plain one
    // owns nothing, and taking an identity succeeds once per generation, so
    // whatever it owns is read out only here.
    unsafe {
        let msg = (m as *const Msg).read_unaligned();
        tag_ptr(m).write_unaligned(0);
        Ok((msg, slot))
    }
}

/// Checks that `m` holds a live message.
///
/// # Safety
/// As for `put`.
pub(super) unsafe fn check(m: *mut zmq_msg_t) -> Result<()> {
    // SAFETY: the caller's contract is `live`'s.
    unsafe { live(m, false) }.map(|_| ())
}

/// Runs `f` on the live message without changing it. `f` sees a bitwise
/// copy, never dropped, so it must not clone the message or its body (a
/// clone may rewrite the copy's `Bytes` in place; use `update`).
///
/// # Safety
/// As for `put`.
#[inline]
pub(super) unsafe fn view<R>(m: *mut zmq_msg_t, f: impl FnOnce(&Msg) -> R) -> Result<R> {
    // SAFETY: the caller's contract is `live`'s.
    unsafe { live(m, false) }?;
    if (m as usize).is_multiple_of(std::mem::align_of::<Msg>()) {
        // SAFETY: a live `Msg` is in place, aligned; C does not touch it
        // during the call, and `f` only reads it.
        return Ok(f(unsafe { &*(m as *const Msg) }));
    }
    // SAFETY: a live `Msg` is in place; the copy is only borrowed by `f`
    // and never dropped, so the message keeps sole ownership of its parts.
    let copy = ManuallyDrop::new(unsafe { (m as *const Msg).read_unaligned() });
    Ok(f(&copy))
}

/// Runs `f` on the live message (claimed: this copy becomes the message)
/// and stores the result back.
///
/// # Safety
/// As for `put`.
unsafe fn update<R>(m: *mut zmq_msg_t, f: impl FnOnce(&mut Msg) -> R) -> Result<R> {
    // SAFETY: the caller's contract is `live`'s.
    let tag = unsafe { live(m, true) }?;
    // `f` changes flags, or turns a caller's buffer held alone into a
    // shared body (`Msg::share`): the message then owns it in a new form,
    // and every bitwise copy C made of the old form must go stale (one,
    // claimed and closed, would call the free function while the shared
    // body still holds the buffer), so the message gets a new identity.
    // SAFETY: as in `view`; the copy, changed or not, replaces the
    // original bitwise, so ownership stays with the one in C's storage
    // (a panic in `f` leaves the original untouched and the copy leaked).
    unsafe {
        let mut copy = ManuallyDrop::new((m as *const Msg).read_unaligned());
        let was_foreign = copy.is_foreign();
        let r = f(&mut copy);
        let reformed = was_foreign && !copy.is_foreign();
        (m as *mut Msg).write_unaligned(ManuallyDrop::into_inner(copy));
        if reformed && tag != PLAIN {
            if let Some(slot) = identity::take(tag) {
                tag_ptr(m).write_unaligned(slot.place(m as usize));
            }
        }
        Ok(r)
    }
}

/// Replaces the content of `m`, dropping an older live message.
///
/// # Safety
/// As for `put`.
pub(super) unsafe fn replace(m: *mut zmq_msg_t, msg: Msg) -> Result<()> {
    // SAFETY: the caller's contract is `take`'s and `put`'s.
    unsafe {
        if let Ok(old) = take(m) {
            drop(old);
        }
        put(m, msg)
    }
}

/// An empty message.
///
/// # Safety
/// `msg` must be NULL or point to 64 writable bytes (a `zmq_msg_t`) that no
/// other thread uses during the call; the same holds for every
/// `zmq_msg_t *` argument below.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_init(msg: *mut zmq_msg_t) -> c_int {
    // SAFETY: this function's contract is `put`'s.
    call(|| unsafe { put(msg, Msg::new()) }.map(|_| 0))
}

/// A message of `size` bytes for the caller to fill (not cleared, as in libzmq).
//
// The bytes are what earlier messages of this process held there, or
// zeros: unspecified, never uninitialised memory (`Msg::for_fill`).
///
/// # Safety
/// As for `zmq_msg_init`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_init_size(msg: *mut zmq_msg_t, size: usize) -> c_int {
    call(|| {
        // Made in place (when aligned): a copy of a message built just
        // before stalls on the bytes it has just written.
        // SAFETY: this function's contract is `fill_in`'s (what the
        // storage held is overwritten, as zmq_msg_init does in libzmq).
        unsafe {
            fill_in(msg, &mut None, |m| {
                m.make_fill(size).ok_or(Error(libc::ENOMEM))?;
                Ok(0)
            })
        }
    })
}

/// Makes a message over the caller's buffer, freed by `ffn` when done.
///
/// # Safety
/// As for `zmq_msg_init`; `data` must point to `size` bytes that stay valid
/// until `ffn` is called.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_init_data(
    msg: *mut zmq_msg_t,
    data: *mut c_void,
    size: usize,
    ffn: super::consts::zmq_free_fn,
    hint: *mut c_void,
) -> c_int {
    call(|| {
        if data.is_null() && size != 0 {
            return Err(Error::FAULT);
        }
        let make = || {
            // SAFETY: `data` points to `size` bytes that stay valid until
            // `ffn` is called (this function's contract, as libzmq's); `ffn`
            // is called once with `data` and `hint`.
            let owner = unsafe { Foreign::new(data, size, ffn, hint) };
            let mut m = Msg::from_foreign(owner);
            if ffn.is_none() {
                // No free function: a constant buffer, which libzmq
                // reports as shared (ZMQ_SHARED).
                m.set_flags(crate::msg::flags::SHARED);
            }
            m
        };
        if msg.is_null() {
            return Err(Error::FAULT);
        }
        // The identity first: the buffer becomes the message's (and `ffn`
        // its to call) only if the call succeeds.
        let tag = identity::place(msg as usize).ok_or(Error(libc::ENOMEM))?;
        // SAFETY: non-null; 64 writable bytes by this function's contract.
        unsafe { store(msg, make(), tag) };
        Ok(0)
    })
}

/// Closes the message (its content is released when no copy made by
/// `zmq_msg_copy` holds it any more).
///
/// # Safety
/// As for `zmq_msg_init`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_close(msg: *mut zmq_msg_t) -> c_int {
    call(|| {
        // A message that owns nothing (every message after zmq_msg_send,
        // small ones) has nothing to release: closing it only marks its
        // storage closed, without reading the `Msg` out.
        // SAFETY: NULL checked; the rest is this function's contract
        // (`take`'s): 64 writable bytes, the tag inside them.
        if !msg.is_null() && unsafe { tag_ptr(msg).read_unaligned() } == PLAIN {
            // SAFETY: as above; the `Msg` owns nothing, so leaving it
            // unread releases nothing twice and leaks nothing.
            unsafe { tag_ptr(msg).write_unaligned(0) };
            return Ok(0);
        }
        // SAFETY: this function's contract is `take`'s.
        unsafe { take(msg) }.map(|m| {
            m.release();
            0
        })
    })
}

/// Moves the content of `src` into `dest` (closing what `dest` held);
/// `src` becomes an empty message.
///
/// # Safety
/// As for `zmq_msg_init`, for both.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_move(dest: *mut zmq_msg_t, src: *mut zmq_msg_t) -> c_int {
    call(|| {
        if dest.is_null() {
            return Err(Error::FAULT);
        }
        // SAFETY: this function's contract is that of the helpers.
        unsafe {
            if dest == src {
                return check(src).map(|_| 0);
            }
            // libzmq closes `dest` first: it must be a live message too
            // (EFAULT otherwise, `src` untouched).
            check(src)?;
            check(dest)?;
            let m = take(src)?;
            put(src, Msg::new())?;
            replace(dest, m).map(|_| 0)
        }
    })
}

/// Makes `dest` share the content of `src` (closing what `dest` held).
///
/// # Safety
/// As for `zmq_msg_init`, for both.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_copy(dest: *mut zmq_msg_t, src: *mut zmq_msg_t) -> c_int {
    call(|| {
        if dest.is_null() {
            return Err(Error::FAULT);
        }
        // SAFETY: this function's contract is that of the helpers.
        unsafe {
            if dest == src {
                return check(src).map(|_| 0);
            }
            // As libzmq: `src` checked, then `dest` closed, so it must be
            // a live message (EFAULT otherwise).
            check(src)?;
            check(dest)?;
            let copy = update(src, Msg::share)?;
            replace(dest, copy).map(|_| 0)
        }
    })
}

/// Where the body lives: inside C's storage for a small (inline) body.
///
/// # Safety
/// As for `zmq_msg_init`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_data(msg: *mut zmq_msg_t) -> *mut c_void {
    call(|| {
        // SAFETY: this function's contract is `view`'s.
        let (p, copy_at) = unsafe { view(msg, |m| (m.data().as_ptr(), m as *const Msg as usize)) }?;
        // `view` lent a copy: a body stored inline lies inside it, and C
        // must get the same place inside its own storage.
        let offset = (p as usize).wrapping_sub(copy_at);
        Ok(if offset < std::mem::size_of::<Msg>() {
            (msg as *mut u8).wrapping_add(offset) as *mut c_void
        } else {
            p as *mut c_void
        })
    })
}

/// # Safety
/// As for `zmq_msg_init`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_size(msg: *const zmq_msg_t) -> usize {
    // SAFETY: this function's contract is `view`'s.
    call(|| unsafe { view(msg as *mut _, Msg::len) })
}

/// # Safety
/// As for `zmq_msg_init`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_more(msg: *const zmq_msg_t) -> c_int {
    // SAFETY: this function's contract is `view`'s.
    call(|| unsafe { view(msg as *mut _, |m| m.more() as c_int) })
}

pub const ZMQ_MORE: c_int = 1;
pub const ZMQ_SRCFD: c_int = 2;
pub const ZMQ_SHARED: c_int = 3;

/// # Safety
/// As for `zmq_msg_init`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_get(msg: *const zmq_msg_t, property: c_int) -> c_int {
    call(|| {
        // SAFETY: this function's contract is `view`'s.
        unsafe {
            view(msg as *mut _, |m| match property {
                ZMQ_MORE => Ok(m.more() as c_int),
                // The connection's fd, for messages that came over one.
                // (-1 with EINVAL for others, as libzmq, whose "__fd"
                // property is missing then).
                ZMQ_SRCFD => match m.metadata().map_or(-1, |md| md.fd()) {
                    fd if fd >= 0 => Ok(fd),
                    _ => Err(Error::INVAL),
                },
                ZMQ_SHARED => Ok(m.is_shared() as c_int),
                _ => Err(Error::INVAL),
            })
        }?
    })
}

/// # Safety
/// As for `zmq_msg_init`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_set(
    msg: *mut zmq_msg_t,
    _property: c_int,
    _optval: c_int,
) -> c_int {
    // libzmq has no settable message property: EINVAL whatever the
    // message is (it does not look at it).
    let _ = msg;
    call(|| Err::<c_int, _>(Error::INVAL))
}

/// A connection property of a received message.
///
/// # Safety
/// As for `zmq_msg_init`; `property` must be NULL or a NUL-terminated
/// string.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_gets(
    msg: *const zmq_msg_t,
    property: *const c_char,
) -> *const c_char {
    call(|| {
        // SAFETY: NULL or NUL-terminated, per this function's contract.
        let name = unsafe { cstr(property, Error::INVAL) };
        // SAFETY: this function's contract is `view`'s. The value lives in
        // the metadata's own allocation, shared by the message, not in the
        // copy `view` lends.
        unsafe {
            view(msg as *mut _, |m| {
                m.metadata()
                    .and_then(|md| md.get_with_nul(name.ok()?))
                    .map(|v| v.as_ptr() as *const c_char)
            })
        }?
        .ok_or(Error::INVAL)
    })
}

#[cfg(test)]
mod tests;
