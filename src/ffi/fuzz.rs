//! Feature `fuzzing`: the option calls of the C ABI, for the `setsockopt`
//! fuzz target in `crate::fuzz`, which must reach them exactly as a C
//! caller does without holding `unsafe` outside this directory.

use super::boundary;
use super::socket::{zmq_getsockopt, zmq_setsockopt};
use std::ffi::{c_int, c_void};

/// `zmq_setsockopt(s, option, value, len)`: `Some(v)` passes `v`'s bytes,
/// `None` a NULL pointer with length `null_len` (which the C contract
/// allows: a NULL value is never read). Returns the result and, on
/// failure, `errno`.
pub(crate) fn setsockopt(
    s: *mut c_void,
    option: c_int,
    value: Option<&[u8]>,
    null_len: usize,
) -> (c_int, c_int) {
    let (p, len) = match value {
        Some(v) => (v.as_ptr().cast::<c_void>(), v.len()),
        None => (std::ptr::null(), null_len),
    };
    // SAFETY: `p` is NULL (never dereferenced by the callee) or points to
    // `len` bytes of `value`, borrowed for the whole call.
    let rc = unsafe { zmq_setsockopt(s, option, p, len) };
    (rc, if rc == 0 { 0 } else { boundary::errno() })
}

/// `zmq_getsockopt(s, option, buf, &len)` with a buffer of `cap` bytes:
/// the result, `errno` on failure, and the bytes written on success.
pub(crate) fn getsockopt(s: *mut c_void, option: c_int, cap: usize) -> (c_int, c_int, Vec<u8>) {
    let mut buf = vec![0u8; cap];
    let mut len = cap;
    // SAFETY: `buf` holds `len` writable bytes and `len` is a live local,
    // both outliving the call.
    let rc = unsafe { zmq_getsockopt(s, option, buf.as_mut_ptr().cast::<c_void>(), &mut len) };
    if rc != 0 {
        return (rc, boundary::errno(), Vec::new());
    }
    assert!(
        len <= cap,
        "getsockopt reported {len} bytes in a {cap}-byte buffer"
    );
    buf.truncate(len);
    (rc, 0, buf)
}
