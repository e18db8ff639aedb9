//! A caller's buffer and free function (`zmq_msg_init_data`), as a
//! message body (`msg::Msg` holds it alone, or shared through a `Bytes`
//! once a second message needs it). Here and not in `ffi/` because the
//! core's `msg` holds it and may not name the C boundary; its unchecked
//! code reads C's buffer and calls C's free function.

use std::ffi::c_void;

/// A caller's buffer handed over by `zmq_msg_init_data`: its free function
/// runs exactly once, when the message holding it (or, once shared, the
/// last `Bytes` referring to it) is dropped. Made only by
/// `zmq_msg_init_data`, from what C gave it.
pub struct Foreign {
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

impl Foreign {
    /// # Safety
    /// `data` must point to `size` readable bytes (or be NULL with size
    /// 0) that stay valid until `ffn` runs; `ffn`, when given, must be
    /// safe to call once, from any thread, with `data` and `hint`.
    pub unsafe fn new(
        data: *mut c_void,
        size: usize,
        ffn: Option<unsafe extern "C" fn(*mut c_void, *mut c_void)>,
        hint: *mut c_void,
    ) -> Foreign {
        Foreign {
            data,
            size,
            ffn,
            hint,
        }
    }
}
