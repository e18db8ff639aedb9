//! The boundary's helpers, used by every exported function: the panic
//! boundary, `errno`, null checks, handle ⇄ pointer conversion, and reading
//! caller-owned buffers.
//!
//! Policy: a panic inside the library never unwinds into C. It is caught
//! here and the call fails with `EFAULT` (or returns NULL), after the panic
//! hook has printed its message. Every exported function goes through `call`.

use crate::error::{Error, Result};
use crate::handle::{HandleTable, TOKEN_SPAN};
use std::ffi::{c_char, c_int, c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, OnceLock};

/// What a C function returns on failure.
pub trait Failure {
    fn failure() -> Self;
}

impl Failure for c_int {
    fn failure() -> c_int {
        -1
    }
}

impl Failure for *mut c_void {
    fn failure() -> *mut c_void {
        std::ptr::null_mut()
    }
}

impl Failure for *const c_char {
    fn failure() -> *const c_char {
        std::ptr::null()
    }
}

impl Failure for *mut c_char {
    fn failure() -> *mut c_char {
        std::ptr::null_mut()
    }
}

impl Failure for *mut u8 {
    fn failure() -> *mut u8 {
        std::ptr::null_mut()
    }
}

impl Failure for () {
    fn failure() {}
}

impl Failure for usize {
    fn failure() -> usize {
        0
    }
}

impl Failure for u32 {
    fn failure() -> u32 {
        0
    }
}

impl Failure for u64 {
    fn failure() -> u64 {
        0
    }
}

pub fn set_errno(e: i32) {
    // SAFETY: __errno_location returns this thread's errno slot, always valid.
    unsafe { *libc::__errno_location() = e };
}

pub fn errno() -> i32 {
    // SAFETY: as in `set_errno`.
    unsafe { *libc::__errno_location() }
}

/// Runs an exported function's body: `Err` becomes `errno` + the failure
/// value, a panic becomes `EFAULT` + the failure value.
pub fn call<T: Failure>(f: impl FnOnce() -> Result<T>) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            set_errno(e.errno());
            T::failure()
        }
        Err(_) => {
            set_errno(libc::EFAULT);
            T::failure()
        }
    }
}

/// The base of the address range handles live in. The range is mapped
/// read-only (zeros), so code that peeks at a handle, as some wrappers do to
/// tell their own objects from libzmq's, reads zeros instead of faulting.
fn arena() -> usize {
    static BASE: OnceLock<usize> = OnceLock::new();
    *BASE.get_or_init(|| {
        // SAFETY: an anonymous, private, read-only mapping that nothing else
        // refers to; MAP_NORESERVE: the zero page backs every read.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                TOKEN_SPAN as usize,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            // Still non-NULL and unlikely to be a real object; never read
            // by us.
            1 << 44
        } else {
            p as usize
        }
    })
}

pub fn token_to_ptr(token: u64) -> *mut c_void {
    (arena() + token as usize) as *mut c_void
}

pub fn ptr_to_token(p: *const c_void) -> Option<u64> {
    let base = arena();
    let a = p as usize;
    if a < base || a >= base + TOKEN_SPAN as usize {
        return None;
    }
    Some((a - base) as u64)
}

/// Looks up a handle: `err` when it is NULL, stale or not of this table.
pub fn lookup<T>(table: &HandleTable<T>, p: *const c_void, err: Error) -> Result<Arc<T>> {
    ptr_to_token(p).and_then(|t| table.get(t)).ok_or(err)
}

/// Removes a handle from its table.
pub fn take<T>(table: &HandleTable<T>, p: *const c_void, err: Error) -> Result<Arc<T>> {
    ptr_to_token(p).and_then(|t| table.remove(t)).ok_or(err)
}

/// Stores an object and gives C its handle.
pub fn publish<T>(table: &HandleTable<T>, v: Arc<T>, full: Error) -> Result<*mut c_void> {
    table.insert(v).map(token_to_ptr).ok_or(full)
}

/// A caller's byte buffer as a slice; NULL is allowed only with length 0.
///
/// # Safety
/// `p` must be NULL or valid for reads of `len` bytes for the returned
/// lifetime, as the C API requires of its callers.
pub unsafe fn bytes<'a>(p: *const c_void, len: usize) -> Result<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(Error::FAULT);
    }
    // SAFETY: non-null and, by the caller's contract, readable for len bytes.
    Ok(unsafe { std::slice::from_raw_parts(p as *const u8, len) })
}

/// A caller's writable byte buffer; NULL only with length 0.
///
/// # Safety
/// `p` must be NULL or valid for writes of `len` bytes for the returned
/// lifetime.
pub unsafe fn bytes_mut<'a>(p: *mut c_void, len: usize) -> Result<&'a mut [u8]> {
    if len == 0 {
        return Ok(&mut []);
    }
    if p.is_null() {
        return Err(Error::FAULT);
    }
    // SAFETY: non-null and, by the caller's contract, writable for len bytes.
    Ok(unsafe { std::slice::from_raw_parts_mut(p as *mut u8, len) })
}

/// A caller's NUL-terminated string; `err` when NULL or not UTF-8.
///
/// # Safety
/// `p` must be NULL or point to a NUL-terminated string.
pub unsafe fn cstr<'a>(p: *const c_char, err: Error) -> Result<&'a str> {
    if p.is_null() {
        return Err(err);
    }
    // SAFETY: non-null and NUL-terminated by the caller's contract.
    unsafe { CStr::from_ptr(p) }.to_str().map_err(|_| err)
}

/// A caller's out-parameter.
///
/// # Safety
/// `p` must be NULL or valid for writes of a `T`.
pub unsafe fn out<'a, T>(p: *mut T) -> Result<&'a mut T> {
    if p.is_null() {
        return Err(Error::FAULT);
    }
    // SAFETY: non-null and writable by the caller's contract.
    Ok(unsafe { &mut *p })
}
