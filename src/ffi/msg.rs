//! `zmq_msg_t`: C owns 64 bytes; a `Msg` lives at their start and a magic
//! word at their end tells an initialised message from garbage or a closed
//! one. C may move a message by `memcpy` (a `Msg` has no pointer into
//! itself).

use super::boundary::{call, cstr, Failure};
use crate::error::{Error, Result};
use crate::msg::Msg;
use bytes::Bytes;
use std::ffi::{c_char, c_int, c_void};

pub use super::consts::zmq_msg_t;

const MAGIC: u32 = 0x4d6f_6e6f;
const MAGIC_AT: usize = 60;
const _: () = assert!(std::mem::size_of::<Msg>() <= MAGIC_AT);
const _: () = assert!(std::mem::size_of::<zmq_msg_t>() == 64);

fn magic_ptr(m: *mut zmq_msg_t) -> *mut u32 {
    (m as *mut u8).wrapping_add(MAGIC_AT) as *mut u32
}

fn is_live(m: *mut zmq_msg_t) -> bool {
    // SAFETY: `m` is non-null (checked by callers) and points to a C-owned
    // zmq_msg_t of 64 bytes; the magic word lies inside it, 4-aligned.
    !m.is_null() && unsafe { magic_ptr(m).read() } == MAGIC
}

/// Places `msg` into C's storage (whatever was there is overwritten).
pub fn put(m: *mut zmq_msg_t, msg: Msg) -> Result<()> {
    if m.is_null() {
        return Err(Error::FAULT);
    }
    // SAFETY: `m` is non-null, 8-aligned and 64 bytes (C's zmq_msg_t);
    // `Msg` fits before the magic word (asserted above).
    unsafe {
        (m as *mut Msg).write(msg);
        magic_ptr(m).write(MAGIC);
    }
    Ok(())
}

/// Takes the message out of C's storage, leaving it closed.
pub fn take(m: *mut zmq_msg_t) -> Result<Msg> {
    if !is_live(m) {
        return Err(Error::FAULT);
    }
    // SAFETY: the magic says a `Msg` was placed here by `put` and not taken
    // since; clearing the magic ensures it is read out only once.
    unsafe {
        magic_ptr(m).write(0);
        Ok((m as *mut Msg).read())
    }
}

/// Borrows the live message in C's storage.
pub fn get<'a>(m: *mut zmq_msg_t) -> Result<&'a mut Msg> {
    if !is_live(m) {
        return Err(Error::FAULT);
    }
    // SAFETY: a live `Msg` is in place (magic); C owns the storage and
    // does not use it concurrently during this call, per the API contract.
    Ok(unsafe { &mut *(m as *mut Msg) })
}

/// Replaces the content of `m`, dropping an older live message.
pub fn replace(m: *mut zmq_msg_t, msg: Msg) -> Result<()> {
    if is_live(m) {
        drop(take(m));
    }
    put(m, msg)
}

#[no_mangle]
pub extern "C" fn zmq_msg_init(msg: *mut zmq_msg_t) -> c_int {
    call(|| put(msg, Msg::new()).map(|_| 0))
}

#[no_mangle]
pub extern "C" fn zmq_msg_init_size(msg: *mut zmq_msg_t, size: usize) -> c_int {
    call(|| {
        let m = Msg::for_fill(size).ok_or(Error(libc::ENOMEM))?;
        put(msg, m).map(|_| 0)
    })
}

/// A caller's buffer handed over by `zmq_msg_init_data`: its free function
/// runs exactly once, when the last `Bytes` referring to it is dropped.
struct Foreign {
    data: *mut c_void,
    size: usize,
    ffn: Option<unsafe extern "C" fn(*mut c_void, *mut c_void)>,
    hint: *mut c_void,
}

// SAFETY: the buffer is owned by the message from now on (libzmq's
// contract for zmq_msg_init_data); the free function may be called from any
// thread, as with libzmq, whose I/O threads free messages too.
unsafe impl Send for Foreign {}
// SAFETY: shared access only reads the buffer.
unsafe impl Sync for Foreign {}

impl AsRef<[u8]> for Foreign {
    fn as_ref(&self) -> &[u8] {
        if self.size == 0 || self.data.is_null() {
            return &[];
        }
        // SAFETY: the caller gave `size` readable bytes at `data`, alive
        // until the free function runs (in Drop, after every borrow ended).
        unsafe { std::slice::from_raw_parts(self.data as *const u8, self.size) }
    }
}

impl Drop for Foreign {
    fn drop(&mut self) {
        if let Some(f) = self.ffn {
            // SAFETY: the caller's free function, called once with the
            // pointer and hint it gave us.
            unsafe { f(self.data, self.hint) };
        }
    }
}

/// Makes a message over the caller's buffer, freed by `ffn` when done.
///
/// # Safety
/// `data` must point to `size` bytes that stay valid until `ffn` is called.
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
        let constant = ffn.is_none();
        let owner = Foreign {
            data,
            size,
            ffn,
            hint,
        };
        let mut m = Msg::from_shared(Bytes::from_owner(owner));
        if constant {
            // No free function: a constant buffer, which libzmq reports as
            // shared (ZMQ_SHARED).
            m.set_flags(crate::msg::flags::SHARED);
        }
        put(msg, m).map(|_| 0)
    })
}

#[no_mangle]
pub extern "C" fn zmq_msg_close(msg: *mut zmq_msg_t) -> c_int {
    call(|| take(msg).map(|_| 0))
}

#[no_mangle]
pub extern "C" fn zmq_msg_move(dest: *mut zmq_msg_t, src: *mut zmq_msg_t) -> c_int {
    call(|| {
        if dest.is_null() {
            return Err(Error::FAULT);
        }
        if dest == src {
            return get(src).map(|_| 0);
        }
        let m = take(src)?;
        put(src, Msg::new())?;
        replace(dest, m).map(|_| 0)
    })
}

#[no_mangle]
pub extern "C" fn zmq_msg_copy(dest: *mut zmq_msg_t, src: *mut zmq_msg_t) -> c_int {
    call(|| {
        if dest.is_null() {
            return Err(Error::FAULT);
        }
        if dest == src {
            return get(src).map(|_| 0);
        }
        let copy = get(src)?.share();
        replace(dest, copy).map(|_| 0)
    })
}

#[no_mangle]
pub extern "C" fn zmq_msg_data(msg: *mut zmq_msg_t) -> *mut c_void {
    call(|| Ok(get(msg)?.data_ptr() as *mut c_void))
}

#[no_mangle]
pub extern "C" fn zmq_msg_size(msg: *const zmq_msg_t) -> usize {
    call(|| Ok(get(msg as *mut _)?.len()))
}

#[no_mangle]
pub extern "C" fn zmq_msg_more(msg: *const zmq_msg_t) -> c_int {
    call(|| Ok(get(msg as *mut _)?.more() as c_int))
}

pub const ZMQ_MORE: c_int = 1;
pub const ZMQ_SRCFD: c_int = 2;
pub const ZMQ_SHARED: c_int = 3;

#[no_mangle]
pub extern "C" fn zmq_msg_get(msg: *const zmq_msg_t, property: c_int) -> c_int {
    call(|| {
        let m = get(msg as *mut _)?;
        match property {
            ZMQ_MORE => Ok(m.more() as c_int),
            // The connection's fd, for messages that came over one.
            ZMQ_SRCFD => Ok(m.metadata().map_or(-1, |md| md.fd())),
            ZMQ_SHARED => Ok(m.is_shared() as c_int),
            _ => Err(Error::INVAL),
        }
    })
}

#[no_mangle]
pub extern "C" fn zmq_msg_set(msg: *mut zmq_msg_t, _property: c_int, _optval: c_int) -> c_int {
    // libzmq has no settable message property.
    call(|| {
        get(msg)?;
        Err::<c_int, _>(Error::INVAL)
    })
}

/// A connection property of a received message.
///
/// # Safety
/// `property` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_gets(
    msg: *const zmq_msg_t,
    property: *const c_char,
) -> *const c_char {
    call(|| {
        let m = get(msg as *mut _)?;
        // SAFETY: NULL or NUL-terminated, per this function's contract.
        let name = unsafe { cstr(property, Error::INVAL) }?;
        m.metadata()
            .and_then(|md| md.get_with_nul(name))
            .map(|v| v.as_ptr() as *const c_char)
            .ok_or(Error::INVAL)
    })
}

impl Failure for *const zmq_msg_t {
    fn failure() -> Self {
        std::ptr::null()
    }
}
